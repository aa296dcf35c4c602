"""GTINs for listings: the producer's own (validated) or one allocated from the platform's GS1
company prefix (`GS1_COMPANY_PREFIX`), sequentially, under a row lock so two producers asking at
the same moment never get the same number."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from marketplace.catalog import gtin as gtin_rules
from marketplace.catalog.errors import CatalogError
from marketplace.catalog.models import GtinCounter, Product
from marketplace.errors import DomainError


def company_prefix() -> str:
    return (settings.GS1_COMPANY_PREFIX or "").strip()


def normalise_own(value: str) -> str:
    """A GTIN the producer typed: digits only, GTIN-13 (a GTIN-14 with indicator 0 is the same
    number); DomainError with a Vietnamese message otherwise."""
    digits = "".join((value or "").split())
    if len(digits) == 14 and digits.startswith("0"):
        digits = digits[1:]
    try:
        return gtin_rules.validate_gtin13(digits)
    except gtin_rules.InvalidGtin as exc:
        raise DomainError(CatalogError.INVALID_GTIN, str(exc), "gtin") from exc


@transaction.atomic
def allocate() -> str:
    """The next free GTIN-13 under the platform's prefix, check digit computed."""
    prefix = company_prefix()
    if not (prefix.isdigit() and 6 <= len(prefix) <= 11):
        raise DomainError(
            CatalogError.GTIN_ALLOCATION_OFF,
            gettext("Sàn chưa có mã doanh nghiệp GS1 để cấp GTIN; hãy nhập GTIN của cơ sở."),
            "gtin",
        )
    width = 12 - len(prefix)
    GtinCounter.objects.get_or_create(prefix=prefix)
    counter = GtinCounter.objects.select_for_update().get(prefix=prefix)
    reference = counter.next_reference
    while reference < 10**width:
        body = f"{prefix}{reference:0{width}d}"
        candidate = body + str(gtin_rules.check_digit(body))
        reference += 1
        if not Product.objects.filter(gtin=candidate).exists():  # a producer may own it already
            counter.next_reference = reference
            counter.save(update_fields=["next_reference"])
            return candidate
    raise DomainError(
        CatalogError.GTIN_EXHAUSTED,
        gettext("Đã hết mã GTIN dưới mã doanh nghiệp %(prefix)s.") % {"prefix": prefix},
        "gtin",
    )

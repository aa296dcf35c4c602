"""Which listings an OCOP certificate covers.

A certificate is granted to one named product of one producer (the register's product name and
set). A listing may carry it only if it is that product: same producer and the same set, and
the listing's name is the certified name, possibly followed by a variant ("… hũ 500g") —
or staff have confirmed it after checking. Otherwise the listing shows no stars.
"""

from django.utils.translation import gettext

from marketplace.errors import DomainError
from marketplace.text import fold
from producers.errors import ProducerError


def _words(text: str) -> str:
    return " ".join(fold(text).split())


def names_match(certified_name: str, listing_name: str) -> bool:
    certified, listing = _words(certified_name), _words(listing_name)
    return bool(certified) and (listing == certified or listing.startswith(certified + " "))


def certified_product(certificate) -> tuple[str, str]:
    """(product name, set code) the certificate was granted for: the register's row when the
    trade office's register has this number, else what the certificate itself records."""
    from marketplace.coverage.models import RegisterEntry  # the register is coverage's

    entry = (
        RegisterEntry.objects.filter(certificate_number=certificate.number)
        .only("product_name", "product_set_id")
        .first()
    )
    if entry is not None:
        return entry.product_name, entry.product_set_id
    return certificate.product_name, certificate.product_set_id


def require_covers(certificate, producer_id: int, name: str, set_code: str, confirmed: bool):
    if certificate.producer_id != producer_id:
        raise DomainError(
            ProducerError.CERTIFICATE_NOT_OWNED,
            gettext("Giấy chứng nhận OCOP không thuộc chủ thể này."),
            "certificate",
        )
    if confirmed:
        return
    certified_name, certified_set = certified_product(certificate)
    if certified_set != set_code or not names_match(certified_name, name):
        raise DomainError(
            ProducerError.CERTIFICATE_NOT_COVERING,
            gettext(
                "Giấy chứng nhận %(number)s cấp cho “%(certified_name)s” (bộ "
                "%(certified_set)s), không phải “%(name)s”. Sản phẩm khác cần giấy chứng "
                "nhận riêng; nếu đúng là cùng sản phẩm, hãy nhờ ban quản lý xác nhận."
            )
            % {
                "number": certificate.number,
                "certified_name": " ".join(certified_name.split()),
                "certified_set": certified_set,
                "name": name,
            },
            "certificate",
        )

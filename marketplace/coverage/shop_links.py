"""A producer's own shops on other platforms: recorded as external listings of its products.

The producer portal calls these; a link counts for coverage once its certificate (or name)
matches a register entry, exactly like an imported sighting.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from marketplace.catalog.models import Product
from marketplace.coverage.errors import CoverageError
from marketplace.coverage.linking import link_external_listings
from marketplace.coverage.models import ExternalListing
from marketplace.errors import DomainError
from marketplace.text import fold, nfc
from producers.models import Producer

PLATFORM_LABELS = {
    "shopee": "Shopee",
    "lazada": "Lazada",
    "tiki": "Tiki",
    "tiktokshop": "TikTok Shop",
    "sendo": "Sendo",
    "voso": "Voso",
    "postmart": "Postmart",
}
KNOWN_PLATFORMS = tuple(PLATFORM_LABELS)


@transaction.atomic
def add_shop_link(user, sku: str, platform: str, url: str) -> ExternalListing:
    """Record that one of the user's products is sold at `url` on another platform."""
    product = (
        Product.objects.for_member(user).select_related("producer", "certificate").filter(sku=sku)
    ).first()
    if product is None:
        raise DomainError(
            CoverageError.NOT_FOUND, gettext("không tìm thấy sản phẩm của bạn"), "sku"
        )
    platform = fold(platform).replace(" ", "")
    if platform not in KNOWN_PLATFORMS:
        raise DomainError(
            CoverageError.UNKNOWN_PLATFORM,
            gettext("sàn phải là một trong: %(platforms)s")
            % {"platforms": ", ".join(KNOWN_PLATFORMS)},
            "platform",
        )
    url = nfc(url)
    if not url.startswith("https://"):
        raise DomainError(
            CoverageError.INVALID_URL, gettext("đường dẫn phải bắt đầu bằng https://"), "url"
        )
    existing = ExternalListing.objects.filter(url=url).first()
    if existing and existing.producer_id not in (None, product.producer_id):
        raise DomainError(
            CoverageError.URL_TAKEN, gettext("đường dẫn này đã được ghi cho chủ thể khác"), "url"
        )
    listing, _ = ExternalListing.objects.update_or_create(
        url=url,
        defaults={
            "platform": platform,
            "certificate_number": product.certificate.number if product.certificate_id else "",
            "product_name": product.name,
            "producer_name": product.producer.name,
            "seen_on": timezone.localdate(),
            "producer": product.producer,
        },
    )
    link_external_listings()
    listing.refresh_from_db()
    return listing


def shop_links_of(user):
    """The links a user may see and remove: those added for the producers they belong to."""
    return ExternalListing.objects.filter(producer__in=Producer.objects.for_member(user))


@transaction.atomic
def remove_shop_link(user, listing_id: int) -> None:
    deleted, _ = shop_links_of(user).filter(pk=listing_id).delete()
    if not deleted:
        raise DomainError(
            CoverageError.NOT_FOUND, gettext("không tìm thấy đường dẫn của bạn"), "link"
        )

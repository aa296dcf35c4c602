"""Joining register entries to listings: ours (products) and other platforms' (sightings).

Certificate number first. Without one, the folded product name of the same producer decides,
with a confidence score: an exact name in the same ward links at once; a near name waits in
the review queue. Staff decisions (confirmed / rejected) are never overwritten by a re-run.
"""

from difflib import SequenceMatcher

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from marketplace.catalog.models import Product
from marketplace.coverage import cache as coverage_cache
from marketplace.coverage.errors import CoverageError
from marketplace.coverage.models import (
    ExternalListing,
    LinkMethod,
    LinkStatus,
    ListingLink,
    RegisterEntry,
)
from marketplace.errors import DomainError
from marketplace.text import fold

# Below this a name is not worth a reviewer's time; at 1.0 (same name, same ward) no review.
REVIEW_THRESHOLD = 0.6
OTHER_WARD_FACTOR = 0.8
_STAFF_DECIDED = (LinkStatus.CONFIRMED, LinkStatus.REJECTED)


def name_confidence(entry_name_key: str, product_name: str, same_ward: bool) -> float:
    ratio = SequenceMatcher(None, entry_name_key, fold(product_name)).ratio()
    return round(ratio * (1.0 if same_ward else OTHER_WARD_FACTOR), 4)


@transaction.atomic
def link_register_to_listings() -> None:
    """Recompute the automatic and pending links; keep what staff decided."""
    decided = set(
        ListingLink.objects.filter(status__in=_STAFF_DECIDED).values_list(
            "register_entry_id", "product_id"
        )
    )
    confirmed_entries = {
        entry_id
        for (entry_id,) in ListingLink.objects.filter(status=LinkStatus.CONFIRMED).values_list(
            "register_entry_id"
        )
    }
    ListingLink.objects.exclude(status__in=_STAFF_DECIDED).delete()

    entries = list(
        RegisterEntry.objects.values_list(
            "id", "certificate_number", "name_key", "producer_id", "ward_id"
        )
    )
    products = list(
        Product.objects.values_list(
            "id", "name", "producer_id", "producer__ward_id", "certificate__number"
        )
    )
    products_by_cert: dict[str, list[int]] = {}
    products_by_producer: dict[int, list[tuple]] = {}
    for product in products:
        pk, _name, producer_id, _ward, cert = product
        if cert:
            products_by_cert.setdefault(cert, []).append(pk)
        products_by_producer.setdefault(producer_id, []).append(product)
    register_certs = {cert for _, cert, *_ in entries if cert}

    links: list[ListingLink] = []
    for entry_id, cert, name_key, producer_id, ward_id in entries:
        by_cert = products_by_cert.get(cert, []) if cert else []
        for product_id in by_cert:
            if (entry_id, product_id) not in decided:
                links.append(
                    ListingLink(
                        register_entry_id=entry_id,
                        product_id=product_id,
                        method=LinkMethod.CERTIFICATE,
                        confidence=1.0,
                        status=LinkStatus.AUTO,
                    )
                )
        if by_cert or producer_id is None or entry_id in confirmed_entries:
            continue
        candidates = []
        for product_id, name, _p, product_ward, product_cert in products_by_producer.get(
            producer_id, []
        ):
            # A product certified under another register row is that row's, not this one's.
            if product_cert and product_cert in register_certs and product_cert != cert:
                continue
            if (entry_id, product_id) in decided:
                continue
            score = name_confidence(name_key, name, product_ward == ward_id)
            if score >= REVIEW_THRESHOLD:
                candidates.append((score, product_id))
        exact = [c for c in candidates if c[0] == 1.0]
        for score, product_id in exact[:1] or candidates:
            links.append(
                ListingLink(
                    register_entry_id=entry_id,
                    product_id=product_id,
                    method=LinkMethod.NAME,
                    confidence=score,
                    status=LinkStatus.AUTO if score == 1.0 else LinkStatus.PENDING,
                )
            )
    ListingLink.objects.bulk_create(links, batch_size=1000)
    coverage_cache.changed()  # bulk writes send no signals


@transaction.atomic
def link_external_listings() -> None:
    """Attach each sighting to its register entry: certificate, else name + producer."""
    by_cert: dict[str, int] = {}
    by_name: dict[tuple[str, str], list[int]] = {}
    for pk, cert, name_key, producer_key in RegisterEntry.objects.values_list(
        "id", "certificate_number", "name_key", "producer_key"
    ):
        if cert:
            by_cert[cert] = pk
        by_name.setdefault((name_key, producer_key), []).append(pk)
    changed = []
    for listing in ExternalListing.objects.all():
        entry_id = by_cert.get(listing.certificate_number) if listing.certificate_number else None
        if entry_id is None:  # no number, or one the register does not know: try the name
            same_name = by_name.get((fold(listing.product_name), fold(listing.producer_name)), [])
            entry_id = same_name[0] if len(same_name) == 1 else None
        if listing.register_entry_id != entry_id:
            listing.register_entry_id = entry_id
            changed.append(listing)
    ExternalListing.objects.bulk_update(changed, ["register_entry"], batch_size=1000)
    coverage_cache.changed()  # after every register or sightings import


def review_queue():
    """Pending links, the most likely first, with everything the review page shows."""
    return (
        ListingLink.objects.filter(status=LinkStatus.PENDING)
        .select_related("register_entry__ward", "product__producer")
        .order_by("-confidence", "id")
    )


@transaction.atomic
def review_link(link_id: int, *, accept: bool, user) -> ListingLink:
    """Staff confirm or reject a pending link; the decision survives every re-import."""
    try:
        link = ListingLink.objects.select_for_update().get(pk=link_id)
    except ListingLink.DoesNotExist:
        raise DomainError(
            CoverageError.NOT_FOUND, gettext("không tìm thấy liên kết cần xét"), "link"
        )
    if link.status != LinkStatus.PENDING:
        raise DomainError(
            CoverageError.ALREADY_REVIEWED, gettext("liên kết này đã được xét"), "link"
        )
    link.status = LinkStatus.CONFIRMED if accept else LinkStatus.REJECTED
    link.reviewed_by = user
    link.reviewed_at = timezone.now()
    link.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    if accept:  # the entry has its listing: the other guesses for it are moot
        ListingLink.objects.filter(
            register_entry_id=link.register_entry_id, status=LinkStatus.PENDING
        ).delete()
    return link

"""Coverage is computed once per day and recomputed as soon as what it counts changes.

The cache serves only reads outside a transaction, so these tests commit for real (like
tests/marketplace/checkout/test_concurrency.py) and remove exactly what they made.
"""

import datetime

import pytest
from django.core.cache import cache

from fixtures.loader import SAMPLE_DIR
from marketplace.catalog.models import Product, ProductStatus
from marketplace.coverage.importers import import_external_listings, import_register
from marketplace.coverage.models import ExternalListing, ListingLink, RegisterEntry
from marketplace.coverage.services import compute_coverage, online_entry_ids
from tests.marketplace.coverage.conftest import REPORT_DAY

MADE = (ListingLink, ExternalListing, RegisterEntry)


@pytest.fixture
def committed_register(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        before = {model: set(model.objects.values_list("pk", flat=True)) for model in MADE}
        statuses = dict(Product.objects.values_list("pk", "status"))
        import_register(
            (SAMPLE_DIR / "registry.csv").read_bytes(), "registry.csv", as_of=REPORT_DAY
        )
        import_external_listings(
            (SAMPLE_DIR / "external_listings.csv").read_bytes(), "external_listings.csv"
        )
        cache.clear()
        try:
            yield
        finally:
            for model in MADE:
                model.objects.exclude(pk__in=before[model]).delete()
            for product in Product.objects.all():
                if product.status != statuses[product.pk]:
                    product.status = statuses[product.pk]
                    product.save(update_fields=["status"])
            cache.clear()


def not_online_entry() -> RegisterEntry:
    online = online_entry_ids(REPORT_DAY)
    valid = RegisterEntry.objects.filter(issued_on__lte=REPORT_DAY, expires_on__gte=REPORT_DAY)
    return valid.exclude(pk__in=online).order_by("pk").first()


def sighted_elsewhere(entry: RegisterEntry, url: str) -> None:
    ExternalListing.objects.create(
        url=url,
        platform=url.split("//")[1].split(".")[0],
        product_name=entry.product_name,
        producer_name=entry.producer_name,
        seen_on=REPORT_DAY,
        register_entry=entry,
    )


def test_a_day_is_computed_once(committed_register, django_assert_num_queries):
    first = compute_coverage(REPORT_DAY)
    with django_assert_num_queries(0):
        assert compute_coverage(REPORT_DAY) == first
    with django_assert_num_queries(0):
        compute_coverage(REPORT_DAY)
    # Another day, or the dashboard's variant with the not-online list, is its own entry.
    assert compute_coverage(REPORT_DAY - datetime.timedelta(days=400)).as_of != first.as_of
    assert compute_coverage(REPORT_DAY, with_not_online=True).not_online


def test_a_new_sighting_elsewhere_shows_at_once(committed_register):
    before = compute_coverage(REPORT_DAY)
    entry = not_online_entry()
    sighted_elsewhere(entry, "https://lazada.example/ocop/test-cache")
    assert compute_coverage(REPORT_DAY).online == before.online + 1


def test_an_imported_sighting_shows_at_once(committed_register):
    """The importer writes in bulk (no row signals): it says itself that coverage changed."""
    before = compute_coverage(REPORT_DAY)
    entry = not_online_entry()
    csv = (
        "certificate_no,product_name,producer_name,platform,url,seen_on\n"
        f"{entry.certificate_number or ''},{entry.product_name},{entry.producer_name},"
        f"sendo,https://sendo.example/ocop/test-cache,{REPORT_DAY.isoformat()}\n"
    )
    assert import_external_listings(csv.encode(), "more.csv").written
    assert compute_coverage(REPORT_DAY).online == before.online + 1


def test_hiding_a_listing_here_shows_at_once(committed_register):
    before = compute_coverage(REPORT_DAY)
    link = (
        ListingLink.objects.filter(product__status=ProductStatus.PUBLISHED)
        .exclude(register_entry__external_listings__isnull=False)
        .filter(register_entry__issued_on__lte=REPORT_DAY)
        .filter(register_entry__expires_on__gte=REPORT_DAY)
        .select_related("product")
        .first()
    )
    product = link.product
    product.status = ProductStatus.HIDDEN
    product.save(update_fields=["status"])
    assert compute_coverage(REPORT_DAY).online < before.online


def test_a_register_import_shows_at_once(committed_register):
    before = compute_coverage(REPORT_DAY)
    RegisterEntry.objects.filter(pk=not_online_entry().pk).delete()
    assert compute_coverage(REPORT_DAY).certified == before.certified - 1


@pytest.mark.django_db
def test_inside_a_transaction_every_read_is_fresh(sample_register):
    """A transaction may see its own uncommitted writes: they never go to the shared cache."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    compute_coverage(REPORT_DAY)
    with CaptureQueriesContext(connection) as queries:
        compute_coverage(REPORT_DAY)
    assert len(queries) > 0


COVERAGE = """query($asOf: Date) { ocopCoverage(asOf: $asOf) {
  asOf certified online share byWard { key certified online } byGroup { key online }
  byStars { key online } byProducerKind { key online } } }"""


def test_the_api_answers_a_day_from_the_cache(
    committed_register, graphql, django_assert_num_queries
):
    """ocopCoverage is the cached figures of its asOf day (issue 16: 50,000 entries took
    1.24 s a request); a register change gives a fresh answer."""
    day = {"asOf": REPORT_DAY.isoformat()}
    first = graphql(COVERAGE, day)["data"]["ocopCoverage"]
    assert first["certified"] > 0
    with django_assert_num_queries(0):
        assert graphql(COVERAGE, day)["data"]["ocopCoverage"] == first
    entry = not_online_entry()
    sighted_elsewhere(entry, "https://shopee.example/ocop/test-cache-api")
    assert graphql(COVERAGE, day)["data"]["ocopCoverage"]["online"] == first["online"] + 1

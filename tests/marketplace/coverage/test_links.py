"""Joining the register to listings here and on other platforms; the review queue."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from bench.coverage_import import HEADERS
from fixtures.loader import SAMPLE_DIR
from marketplace.catalog.models import Product
from marketplace.coverage import linking
from marketplace.coverage.importers import Outcome, import_external_listings, import_register
from marketplace.coverage.models import ExternalListing, LinkMethod, LinkStatus, ListingLink
from marketplace.coverage.services import compute_coverage, online_entry_ids
from marketplace.errors import DomainError
from tests.marketplace.coverage.conftest import REPORT_DAY

pytestmark = pytest.mark.django_db

EXTERNAL = (SAMPLE_DIR / "external_listings.csv").read_bytes()
HEADER = ",".join(HEADERS)


def test_external_listings_link_by_number_then_by_name(sample_register):
    listings = ExternalListing.objects.select_related("register_entry")
    assert listings.count() == 30
    assert not listings.filter(register_entry__isnull=True).exists()
    by_number = listings.get(certificate_number="013/2023/OCOP-AG")
    assert by_number.register_entry.certificate_number == "013/2023/OCOP-AG"
    # No number: the product name + producer pick "Mắm thái đặc biệt", not the other Hương Quê row.
    by_name = listings.get(url="https://tiki.example/shop/ag0005/d3ced1c6")
    assert by_name.register_entry.certificate_number == "008/2023/OCOP-AG"
    # A number the register lacks (row 201 has none): the name decides.
    unknown_number = listings.get(certificate_number="201/2023/OCOP-AG")
    assert unknown_number.register_entry.product_name == "Tinh dầu sả chanh"


def test_external_reimport_is_idempotent_and_reports_rows(sample_register):
    report = import_external_listings(EXTERNAL, "external_listings.csv")
    assert report.written
    assert {r.outcome for r in report.rows} == {Outcome.UNCHANGED}
    assert ExternalListing.objects.count() == 30


def test_external_listings_before_the_register_link_once_it_arrives(db):
    report = import_external_listings(EXTERNAL, "external_listings.csv")
    assert report.written and report.unmatched == 30
    import_register((SAMPLE_DIR / "registry.csv").read_bytes(), "registry.csv", as_of=REPORT_DAY)
    assert not ExternalListing.objects.filter(register_entry__isnull=True).exists()


def test_bad_external_rows_write_nothing(tmp_path, capsys):
    path = tmp_path / "ext.csv"
    path.write_text(
        "certificate_no,product_name,producer_name,platform,url,seen_on\n"
        "001/2025/OCOP-AG,Mắm,HTX,shopee,ftp://x,2026-01-01\n"
        "001/2025/OCOP-AG,Mắm,HTX,shopee,https://a.example/1,31/02/2026\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        call_command("import_external_listings", str(path))
    out = capsys.readouterr().out
    assert "Dòng 2" in out and "Đường dẫn (cột url): phải bắt đầu" in out
    assert "Dòng 3" in out and "không phải ngày có thật" in out
    assert "Không nhập gì: 2 dòng lỗi." in out
    assert ExternalListing.objects.count() == 0


def test_links_by_certificate_and_by_exact_name(sample_register):
    links = ListingLink.objects.select_related("register_entry", "product")
    by_cert = links.get(product__sku="AG0001-01")
    assert (by_cert.method, by_cert.status) == (LinkMethod.CERTIFICATE, LinkStatus.AUTO)
    # Row 19 has no number; the same producer lists "Khô cá lóc đồng" in the same ward.
    by_name = links.get(register_entry__name_key="kho ca loc dong", product__sku="AG0013-01")
    assert (by_name.method, by_name.status, by_name.confidence) == (
        LinkMethod.NAME,
        LinkStatus.AUTO,
        1.0,
    )
    # ... and the near name "Khô cá lóc" of the same producer is not queued beside it.
    assert not links.filter(register_entry=by_name.register_entry, product__sku="AG0013-03")


def _register_with_near_name():
    """Row 108 of the sample, renamed so it is close to, but not, the listed product's name."""
    row = (
        "1,Đường thốt nốt Bảy Núi,Cơ sở Bảy Núi,Phường Chi Lăng,1.7,3,,692/QĐ-UBND,"
        "22/06/2026,21/06/2029"
    )
    report = import_register(f"{HEADER}\n{row}\n".encode(), "so.csv", as_of=REPORT_DAY)
    assert report.written
    product = Product.objects.get(sku="AG0065-01")  # "Đường thốt nốt Bảy Núi Bảy Núi"
    product.status = "published"
    product.save()
    return product


def test_an_uncertain_match_waits_for_review_and_the_decision_is_remembered(db):
    product = _register_with_near_name()
    link = linking.review_queue().get()
    assert link.product == product and link.status == LinkStatus.PENDING
    assert 0.6 <= link.confidence < 1.0
    assert online_entry_ids(REPORT_DAY) == set()  # pending does not count

    staff = User.objects.create_user("can-bo")
    linking.review_link(link.pk, accept=True, user=staff)
    assert online_entry_ids(REPORT_DAY) == {link.register_entry_id}
    with pytest.raises(DomainError) as excinfo:
        linking.review_link(link.pk, accept=False, user=staff)
    assert excinfo.value.code == "ALREADY_REVIEWED"

    linking.link_register_to_listings()  # a re-import re-runs the matching
    kept = ListingLink.objects.get(pk=link.pk)
    assert (kept.status, kept.reviewed_by) == (LinkStatus.CONFIRMED, staff)
    assert compute_coverage(REPORT_DAY).online == 1


def test_a_rejected_match_is_not_proposed_again(db):
    _register_with_near_name()
    link = linking.review_queue().get()
    linking.review_link(link.pk, accept=False, user=None)
    linking.link_register_to_listings()
    assert not linking.review_queue().exists()
    assert ListingLink.objects.get().status == LinkStatus.REJECTED


def test_only_published_products_of_active_producers_count(sample_register):
    entry_id = ListingLink.objects.get(product__sku="AG0001-01").register_entry_id
    assert entry_id in online_entry_ids(REPORT_DAY)
    product = Product.objects.select_related("producer").get(sku="AG0001-01")
    product.producer.is_active = False
    product.producer.save()
    assert entry_id not in online_entry_ids(REPORT_DAY)
    product.producer.is_active = True
    product.producer.save()
    product.status = "hidden"
    product.save()
    assert entry_id not in online_entry_ids(REPORT_DAY)

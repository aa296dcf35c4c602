"""New products can be traced: a listing gets a GTIN (its own, or one allocated from the
platform's GS1 company prefix), then lots, labels and a trace page work for it; the lot
journal shows step names, not CBV/OCOP codes."""

import datetime
import io
import threading

import pytest
import zxingcpp
from django.db import connection
from graphql_relay import to_global_id
from PIL import Image

from marketplace.catalog import gtin_allocation
from marketplace.catalog.models import GtinCounter, Product
from marketplace.errors import DomainError
from producers import listings
from traceability import digital_link
from traceability.selectors import find_batch

pytestmark = pytest.mark.django_db
PREFIX = "8939999"  # 7 digits: item references 00000–99999


def gs1_check_digit(body: str) -> int:
    """GS1 General Specifications §7.9.1, written out step by step for the test."""
    digits = [int(d) for d in body]
    odd_from_right = sum(digits[-1::-2])  # positions 1, 3, 5 … from the right: × 3
    even_from_right = sum(digits[-2::-2])
    return (10 - (odd_from_right * 3 + even_from_right) % 10) % 10


def listing(**overrides) -> listings.ListingInput:
    values = {"name": "Mắm cá sặc Tri Tôn", "product_set_code": "1.8", "unit": "hũ", "price": 90000}
    values.update(overrides)
    return listings.ListingInput(**values)


def test_allocation_is_sequential_with_check_digits(settings):
    settings.GS1_COMPANY_PREFIX = PREFIX
    first, second = gtin_allocation.allocate(), gtin_allocation.allocate()
    assert first == f"{PREFIX}00000{gs1_check_digit(PREFIX + '00000')}"
    assert second == f"{PREFIX}00001{gs1_check_digit(PREFIX + '00001')}"


def test_allocation_skips_a_number_a_producer_already_owns(settings, product):
    settings.GS1_COMPANY_PREFIX = PREFIX
    taken = f"{PREFIX}00000{gs1_check_digit(PREFIX + '00000')}"
    Product.objects.filter(pk=product.pk).update(gtin=taken)
    assert gtin_allocation.allocate().startswith(f"{PREFIX}00001")


def test_allocation_off_without_a_prefix_says_so(settings):
    settings.GS1_COMPANY_PREFIX = ""
    with pytest.raises(DomainError) as caught:
        gtin_allocation.allocate()
    assert (
        caught.value.code == "GTIN_ALLOCATION_OFF" and "mã doanh nghiệp GS1" in caught.value.message
    )


def test_allocation_runs_out_clearly(settings):
    settings.GS1_COMPANY_PREFIX = "89399999999"  # 11 digits: one digit of reference
    GtinCounter.objects.create(prefix="89399999999", next_reference=10)
    with pytest.raises(DomainError) as caught:
        gtin_allocation.allocate()
    assert caught.value.code == "GTIN_EXHAUSTED"


@pytest.mark.postgres
def test_concurrent_allocations_never_collide(committed_postgres, settings):
    # Real commits without the transactional flush, which would empty the sample catalog and
    # which the append-only guards on trace events refuse.
    settings.GS1_COMPANY_PREFIX = PREFIX
    results, errors, start = [], [], threading.Barrier(8)

    def worker():
        try:
            start.wait()
            results.append(gtin_allocation.allocate())
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    GtinCounter.objects.all().delete()
    assert errors == []
    assert sorted(results) == [
        f"{PREFIX}{n:05d}{gs1_check_digit(f'{PREFIX}{n:05d}')}" for n in range(8)
    ]


def test_own_gtin_is_checked_and_must_be_unique(owner, producer, product):
    with pytest.raises(DomainError) as caught:
        listings.create_listing(owner, producer, listing(gtin="8930000000003"))
    assert "sai số kiểm tra" in str(caught.value.errors[0].message)
    with pytest.raises(DomainError) as caught:
        listings.create_listing(owner, producer, listing(gtin="89300"))
    assert "13 chữ số" in caught.value.errors[0].message
    with pytest.raises(DomainError) as caught:
        listings.create_listing(owner, producer, listing(gtin=product.gtin))
    assert caught.value.code == "GTIN_TAKEN"
    with pytest.raises(DomainError) as caught:
        listings.create_listing(owner, producer, listing(gtin="8930000000019", allocate_gtin=True))
    assert caught.value.errors[0].code == "GTIN_CHOICE"
    body = "893000000001"
    own = listings.create_listing(owner, producer, listing(gtin=f"0 {body}{gs1_check_digit(body)}"))
    assert own.gtin == f"{body}{gs1_check_digit(body)}"  # GTIN-14 with indicator 0, spaces


def test_gtin_cannot_change_once_lots_are_printed(owner, product):
    assert product.batches.exists()
    body = "893000000002"
    with pytest.raises(DomainError) as caught:
        listings.update_listing(
            owner, product.pk, listing(name=product.name, gtin=f"{body}{gs1_check_digit(body)}")
        )
    assert caught.value.code == "GTIN_LOCKED"
    unchanged = listings.update_listing(owner, product.pk, listing(name=product.name))
    assert unchanged.gtin == product.gtin  # gtin=None keeps it


def test_new_product_with_allocated_gtin_gets_lots_labels_and_a_page(
    client, settings, owner, producer
):
    settings.GS1_COMPANY_PREFIX = PREFIX
    client.force_login(owner)
    form = client.get("/portal/san-pham/moi/").content.decode()
    assert 'name="gtin"' in form and 'name="allocate_gtin"' in form
    response = client.post(
        "/portal/san-pham/moi/",
        {
            "producer": producer.code,
            "name": "Khô cá lóc thử GTIN",
            "product_set": "1.8",
            "unit": "gói 250g",
            "price": "125000",
            "stock": "5",
            "allocate_gtin": "on",
        },
    )
    assert response.status_code == 302
    product = Product.objects.get(name="Khô cá lóc thử GTIN")
    assert product.gtin.startswith(PREFIX) and len(product.gtin) == 13
    lot_form = client.get("/portal/lo/").content.decode()
    assert product.sku in lot_form  # a lot can be made for it now
    made = client.post(
        "/portal/lo/",
        {"product": product.sku, "lot": "k1", "packed_on": "2026-11-20", "units": "40"},
    )
    assert made.status_code == 302
    batch = find_batch(product.gtin, "K1")
    label = Image.open(io.BytesIO(client.get(f"/truy-xuat/lo/{batch.pk}/nhan.png").content))
    uri = zxingcpp.read_barcodes(label)[0].text
    assert uri == digital_link.uri_for(batch)
    page = client.get(uri[uri.index("/01/") :])
    assert page.status_code == 200 and "Khô cá lóc thử GTIN" in page.content.decode()
    assert client.get(f"/01/0{product.gtin}").status_code == 307  # GTIN-only resolves


def test_portal_form_shows_gtin_errors_in_vietnamese(client, owner, producer):
    client.force_login(owner)
    response = client.post(
        "/portal/san-pham/moi/",
        {
            "producer": producer.code,
            "name": "Khô cá",
            "product_set": "1.8",
            "unit": "gói",
            "price": "1000",
            "stock": "0",
            "gtin": "8930000000003",
        },
    )
    assert response.status_code == 200
    assert "sai số kiểm tra: phải là" in response.content.decode()


def test_allocation_choice_hidden_when_no_prefix(client, settings, owner):
    settings.GS1_COMPANY_PREFIX = ""
    client.force_login(owner)
    assert 'name="allocate_gtin"' not in client.get("/portal/san-pham/moi/").content.decode()


CREATE = """mutation($code: String!, $input: ProductCreateInput!) {
  productCreate(producerCode: $code, input: $input) { product { sku gtin }
    errors { field code message } } }"""
UPDATE = """mutation($id: ID!, $input: ProductUpdateInput!) {
  productUpdate(id: $id, input: $input) { product { gtin } errors { field code message } } }"""


def test_graphql_create_and_update_with_gtins(client, graphql, settings, owner, producer, product):
    settings.GS1_COMPANY_PREFIX = PREFIX
    client.force_login(owner)
    base = {"name": "Mắm mới", "productSet": "1.8", "unit": "hũ", "price": 1000}
    allocated = graphql(CREATE, {"code": producer.code, "input": {**base, "allocateGtin": True}})
    payload = allocated["data"]["productCreate"]
    assert payload["errors"] == [] and payload["product"]["gtin"].startswith(PREFIX)
    wrong = graphql(CREATE, {"code": producer.code, "input": {**base, "gtin": "8930000000003"}})
    [error] = wrong["data"]["productCreate"]["errors"]
    assert (error["field"], error["code"]) == ("gtin", "INVALID_GTIN")
    locked = graphql(
        UPDATE, {"id": to_global_id("Product", product.pk), "input": {"gtin": "8930000000019"}}
    )
    assert locked["data"]["productUpdate"]["errors"][0]["code"] == "GTIN_LOCKED"


def test_lot_journal_shows_step_names_and_photos(client, owner, product):
    from tests.traceability.conftest import png_bytes

    client.force_login(owner)
    batch = product.batches.first()
    from django.core.files.uploadedfile import SimpleUploadedFile

    moment = (datetime.datetime.now() - datetime.timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M")
    posted = client.post(
        f"/portal/lo/{batch.pk}/",
        {
            "step": "urn:ocop:bizstep:fermenting",
            "when": moment,
            "note": "Ủ chượp",
            "photo": SimpleUploadedFile("a.png", png_bytes(), content_type="image/png"),
        },
    )
    assert posted.status_code == 302, posted.content.decode()[:2000]
    page = client.get(f"/portal/lo/{batch.pk}/").content.decode()
    journal = page[page.index("Nhật ký lô") :]
    assert "Ủ, lên men" in journal and "urn:ocop:bizstep" not in journal
    assert "<img" in journal and "Ảnh minh chứng" in journal
    english = client.get(f"/portal/lo/{batch.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Fermenting" in english

import io

import pytest
import zxingcpp
from django.contrib.auth import get_user_model
from django.test import override_settings
from PIL import Image

from producers.models import Membership, Producer
from tests.traceability.conftest import SAMPLE_GTIN, SAMPLE_LOT, SERIALISED_GTIN, SERIALISED_LOT
from traceability import digital_link, labels
from traceability.lots import BatchData, create_batch
from traceability.selectors import find_batch

pytestmark = pytest.mark.django_db


def _decode(image: Image.Image) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(image)]


@override_settings(TRACE_DOMAIN="truyxuat.ocop-angiang.vn")
def test_png_label_decodes_to_the_exact_digital_link_uri():
    batch = find_batch(SERIALISED_GTIN, SERIALISED_LOT)
    serial = batch.unit_serials.first().serial
    image = Image.open(io.BytesIO(labels.label_png(batch, serial)))
    assert _decode(image) == [
        f"https://truyxuat.ocop-angiang.vn/01/0{SERIALISED_GTIN}/10/{SERIALISED_LOT}/21/{serial}"
    ]
    # still readable when printed small: half size, as a cheap phone camera might see it
    small = image.resize((image.width // 2, image.height // 2))
    assert len(_decode(small)) == 1


@override_settings(TRACE_DOMAIN="t.example")
def test_lot_and_serial_are_percent_encoded():
    assert digital_link.uri(SAMPLE_GTIN, "AB&C+1", "x%y") == (
        f"https://t.example/01/0{SAMPLE_GTIN}/10/AB%26C%2B1/21/x%25y"
    )


def test_trace_domain_defaults_to_the_site_host(settings):
    assert settings.TRACE_DOMAIN == settings.SITE_URL.split("://")[1].split("/")[0]


def test_percent_encoded_lot_resolves(client):
    from marketplace.catalog.models import Product

    product = Product.objects.get(gtin=SAMPLE_GTIN)
    import datetime

    batch, _ = create_batch(BatchData(product, "AB&C+1", datetime.date(2026, 11, 1), None, 5))
    image = Image.open(io.BytesIO(labels.label_png(batch)))
    uri = _decode(image)[0]
    response = client.get(uri[uri.index("/01/") :])
    assert response.status_code == 200 and "AB&amp;C+1" in response.content.decode()


def test_a4_sheet_has_one_label_per_serial(client):
    batch = find_batch(SERIALISED_GTIN, SERIALISED_LOT)
    serials = list(batch.unit_serials.order_by("id").values_list("serial", flat=True))[:30]
    pdf = labels.sheet_pdf(batch, serials)
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 2  # 24 labels a page
    page = labels.label_image(batch, serials[0])
    assert _decode(page)[0].endswith(serials[0])


def test_labels_are_for_the_lots_own_members_only(client):
    batch = find_batch(SAMPLE_GTIN, SAMPLE_LOT)
    url = f"/truy-xuat/lo/{batch.pk}/nhan.pdf"
    assert client.get(url).status_code == 302  # to sign-in
    User = get_user_model()
    stranger = User.objects.create_user("stranger", password="x-Strong-pass-1")
    Membership.objects.create(
        user=stranger, producer=Producer.objects.exclude(pk=batch.product.producer_id).first()
    )
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    owner = User.objects.create_user("owner", password="x-Strong-pass-1")
    Membership.objects.create(user=owner, producer=batch.product.producer, role="owner")
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    png = client.get(f"/truy-xuat/lo/{batch.pk}/nhan.png")
    assert png.status_code == 200
    assert _decode(Image.open(io.BytesIO(png.content)))[0].endswith(f"/10/{SAMPLE_LOT}")

"""Orders and lots from the portal, through the checkout and traceability services."""

import datetime
import re
import unicodedata

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from marketplace.checkout.access import ORDERS_SESSION_KEY
from marketplace.checkout.models import OrderStatus
from marketplace.errors import DomainError
from producers import fulfilment
from tests.producers.portal.pictures import GPS_IFD, jpeg_bytes, upload
from traceability.models import Attachment, Event, FlagRule, ScanFlag
from traceability.verification import verify_batch

pytestmark = pytest.mark.django_db


SHIP = {"action": "ship", "carrier": "Viettel Post", "tracking_number": "vtp 1234 5678"}


def _shopper_page(client, order) -> str:
    """The shopper's own order page, as the browser that placed the order sees it."""
    session = client.session
    session[ORDERS_SESSION_KEY] = [order.number]
    session.save()
    return client.get(f"/don-hang/{order.number}/").content.decode()


def test_sub_order_goes_from_new_to_delivered(client, staff_member, sub_order):
    client.force_login(staff_member)
    page = client.get("/portal/don-hang/").content.decode()
    assert sub_order.order.number in page
    dashboard = client.get("/portal/").content.decode()
    assert re.search(r'id="fig-new"><span class="stat">1</span>', dashboard)
    for data, status in (
        ({"action": "confirm"}, OrderStatus.CONFIRMED),
        (SHIP, OrderStatus.SHIPPED),
        ({"action": "deliver"}, OrderStatus.DELIVERED),
    ):
        response = client.post(f"/portal/don-hang/{sub_order.pk}/", data)
        assert response.status_code == 302
        sub_order.refresh_from_db()
        assert sub_order.status == status
    assert (sub_order.carrier, sub_order.tracking_number) == ("Viettel Post", "VTP12345678")
    assert sub_order.shipped_at <= sub_order.delivered_at
    assert "VTP12345678" in client.get("/portal/don-hang/").content.decode()


def test_shipping_needs_carrier_and_tracking_number(client, owner, sub_order):
    client.force_login(owner)
    client.post(f"/portal/don-hang/{sub_order.pk}/", {"action": "confirm"})
    response = client.post(
        f"/portal/don-hang/{sub_order.pk}/", {"action": "ship", "carrier": "  "}, follow=True
    )
    page = response.content.decode()
    assert "Cần tên đơn vị vận chuyển" in page and "Cần mã vận đơn" in page
    response = client.post(
        f"/portal/don-hang/{sub_order.pk}/",
        {"action": "ship", "carrier": "GHN", "tracking_number": "mã#1"},
        follow=True,
    )
    assert "Mã vận đơn chỉ gồm chữ, số" in response.content.decode()
    sub_order.refresh_from_db()
    assert (sub_order.status, sub_order.carrier, sub_order.shipped_at) == (
        OrderStatus.CONFIRMED,
        "",
        None,
    )


def test_carrier_is_stored_nfc_and_the_shopper_sees_the_parcel(client, owner, sub_order):
    client.force_login(owner)
    client.post(f"/portal/don-hang/{sub_order.pk}/", {"action": "confirm"})
    decomposed = unicodedata.normalize("NFD", "Xe khách  Phương Trang")
    client.post(
        f"/portal/don-hang/{sub_order.pk}/",
        {"action": "ship", "carrier": decomposed, "tracking_number": "ft-0042"},
    )
    sub_order.refresh_from_db()
    assert sub_order.carrier == unicodedata.normalize("NFC", "Xe khách Phương Trang")
    assert sub_order.tracking_number == "FT-0042"
    page = _shopper_page(Client(), sub_order.order)
    assert "Xe khách Phương Trang" in page and "FT-0042" in page


def test_shopper_sees_no_tracking_before_shipping(client, sub_order):
    page = _shopper_page(client, sub_order.order)
    assert "Mã vận đơn" not in page


def test_cancel_needs_a_reason_restocks_and_the_shopper_reads_it(client, owner, sub_order, product):
    client.force_login(owner)
    product.stock.refresh_from_db()
    stock = product.stock.quantity
    response = client.post(f"/portal/don-hang/{sub_order.pk}/", {"action": "deliver"}, follow=True)
    assert "Không thể chuyển đơn" in response.content.decode()
    response = client.post(f"/portal/don-hang/{sub_order.pk}/", {"action": "cancel"}, follow=True)
    assert "Cần ghi lý do huỷ" in response.content.decode()
    sub_order.refresh_from_db()
    product.stock.refresh_from_db()
    assert (sub_order.status, product.stock.quantity) == (OrderStatus.NEW, stock)

    reason = unicodedata.normalize("NFD", "Mắm chưa đủ ngày ủ, xin lỗi quý khách")
    client.post(f"/portal/don-hang/{sub_order.pk}/", {"action": "cancel", "reason": reason})
    sub_order.refresh_from_db()
    product.stock.refresh_from_db()
    assert sub_order.status == OrderStatus.CANCELLED
    assert sub_order.cancel_reason == unicodedata.normalize("NFC", reason)
    assert product.stock.quantity == stock + 1
    assert "Mắm chưa đủ ngày ủ" in _shopper_page(Client(), sub_order.order)


def test_cancel_reason_has_a_length_limit(owner, sub_order):
    with pytest.raises(DomainError) as caught:
        fulfilment.advance_sub_order(owner, sub_order.pk, "cancel", reason="x" * 501)
    assert (caught.value.code, caught.value.field) == ("TOO_LONG", "cancel_reason")


def test_other_producers_orders_are_invisible(client, other_owner, sub_order):
    client.force_login(other_owner)
    assert sub_order.order.number not in client.get("/portal/don-hang/").content.decode()
    response = client.post(f"/portal/don-hang/{sub_order.pk}/", {"action": "confirm"})
    assert response.status_code == 404
    sub_order.refresh_from_db()
    assert sub_order.status == OrderStatus.NEW


def test_create_lot_record_a_step_and_print_labels(client, owner, product):
    client.force_login(owner)
    response = client.post(
        "/portal/lo/",
        {
            "product": product.sku,
            "lot": "l260301a",
            "packed_on": "2026-03-01",
            "best_before": "2027-03-01",
            "units": "24",
        },
    )
    assert response.status_code == 302
    batch = product.batches.get(lot="L260301A")
    when = timezone.localtime() - datetime.timedelta(minutes=5)
    response = client.post(
        f"/portal/lo/{batch.pk}/",
        {"step": "packing", "when": when.strftime("%Y-%m-%dT%H:%M"), "note": "Đóng hũ"},
    )
    assert response.status_code == 302
    event = Event.objects.get(batch=batch)
    assert (event.biz_step, event.note, event.actor) == (
        "packing",
        "Đóng hũ",
        product.producer.name,
    )
    page = client.get(f"/portal/lo/{batch.pk}/").content.decode()
    assert f"/truy-xuat/lo/{batch.pk}/nhan.pdf" in page
    sheet = client.get(f"/truy-xuat/lo/{batch.pk}/nhan.pdf")
    assert sheet.status_code == 200 and sheet.content.startswith(b"%PDF")


def test_future_event_is_refused_with_the_services_message(client, owner, lot):
    client.force_login(owner)
    later = timezone.localtime() + datetime.timedelta(days=2)
    response = client.post(
        f"/portal/lo/{lot.pk}/", {"step": "packing", "when": later.strftime("%Y-%m-%dT%H:%M")}
    )
    assert response.status_code == 200
    assert "tương lai" in response.content.decode()
    assert not Event.objects.filter(batch=lot).exists()


def test_scan_flags_show_on_the_dashboard(client, owner, other_owner, lot):
    ScanFlag.objects.create(batch=lot, rule=FlagRule.TOO_OFTEN, detail="37 lượt quét trong 1 giờ")
    client.force_login(owner)
    assert "37 lượt quét trong 1 giờ" in client.get("/portal/").content.decode()
    client.force_login(other_owner)
    assert "37 lượt quét" not in client.get("/portal/").content.decode()
    assert client.get(f"/portal/lo/{lot.pk}/").status_code == 404


def _event_post(client, lot, **extra):
    when = timezone.localtime() - datetime.timedelta(minutes=3)
    return client.post(
        f"/portal/lo/{lot.pk}/",
        {"step": "packing", "when": when.strftime("%Y-%m-%dT%H:%M")} | extra,
    )


def test_event_with_a_photo_keeps_it_as_clean_evidence(client, owner, lot):
    client.force_login(owner)
    response = _event_post(
        client, lot, photo=upload(jpeg_bytes((2400, 1600), rotated=True, gps=True))
    )
    assert response.status_code == 302
    event = Event.objects.get(batch=lot)
    attachment = event.attachments.get()
    assert attachment.content_type == "image/jpeg"
    with attachment.file.open("rb") as handle, Image.open(handle) as stored:
        assert stored.size == (1067, 1600)  # upright (EXIF orientation applied), max edge 1600
        exif = stored.getexif()
        assert not exif.get_ifd(GPS_IFD) and 0x010F not in exif  # no GPS, no camera data
    assert verify_batch(lot).valid  # the photo's hash is inside the chain
    page = client.get(f"/portal/lo/{lot.pk}/").content.decode()
    opened = reverse("traceability:evidence", args=[attachment.pk])
    assert f'<img src="{opened}"' in page  # the page links the checked view, never the file
    assert attachment.file.name not in page


def test_event_photo_that_is_not_an_image_is_refused(client, owner, lot):
    client.force_login(owner)
    response = _event_post(client, lot, photo=upload(b"%PDF-1.4 not a photo", "anh.jpg"))
    assert response.status_code == 200
    assert "không phải là ảnh" in response.content.decode()
    assert not Event.objects.filter(batch=lot).exists()
    assert not Attachment.objects.exists()


def test_event_without_photo_still_takes_two_taps(client, owner, lot):
    client.force_login(owner)
    page = client.get(f"/portal/lo/{lot.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="photo"' in page
    assert _event_post(client, lot).status_code == 302
    assert not Event.objects.get(batch=lot).attachments.exists()

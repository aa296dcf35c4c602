"""Orders and lots from the portal, through the checkout and traceability services."""

import datetime

import pytest
from django.utils import timezone

from marketplace.checkout.models import OrderStatus
from traceability.models import Event, FlagRule, ScanFlag

pytestmark = pytest.mark.django_db


def test_sub_order_goes_from_new_to_delivered(client, staff_member, sub_order):
    client.force_login(staff_member)
    page = client.get("/portal/don-hang/").content.decode()
    assert sub_order.order.number in page
    assert "Đơn mới (1)" in client.get("/portal/").content.decode()
    for action, status in (
        ("confirm", OrderStatus.CONFIRMED),
        ("ship", OrderStatus.SHIPPED),
        ("deliver", OrderStatus.DELIVERED),
    ):
        response = client.post(f"/portal/don-hang/{sub_order.pk}/", {"action": action})
        assert response.status_code == 302
        sub_order.refresh_from_db()
        assert sub_order.status == status


def test_cancel_restocks_and_wrong_moves_are_refused(client, owner, sub_order, product):
    client.force_login(owner)
    product.stock.refresh_from_db()
    stock = product.stock.quantity
    response = client.post(f"/portal/don-hang/{sub_order.pk}/", {"action": "deliver"}, follow=True)
    assert "Không thể chuyển đơn" in response.content.decode()
    client.post(f"/portal/don-hang/{sub_order.pk}/", {"action": "cancel"})
    sub_order.refresh_from_db()
    product.stock.refresh_from_db()
    assert sub_order.status == OrderStatus.CANCELLED
    assert product.stock.quantity == stock + 1


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

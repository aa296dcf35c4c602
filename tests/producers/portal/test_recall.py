"""Recall from the portal: the `recalled` event, the trace page's banner, the buyers told."""

import datetime

import pytest

from marketplace.checkout.models import OrderStatus
from marketplace.checkout.services.checkout import LineRequest, create_checkout
from marketplace.checkout.services.complete import complete_checkout
from marketplace.checkout.services.orders import Fulfilment, set_sub_order_status
from marketplace.payments.models import PaymentMethod
from tests.marketplace.checkout.buying import hanoi_address
from traceability import digital_link
from traceability.lots import BatchData, create_batch
from traceability.models import Event
from traceability.verification import trace

pytestmark = pytest.mark.django_db

REASON = "Phát hiện hũ phồng nắp, nghi nhiễm khuẩn"


def _lot(product, code, units=20):
    batch, _ = create_batch(
        BatchData(
            product=product,
            lot=code,
            packed_on=datetime.date.today(),
            best_before=datetime.date.today() + datetime.timedelta(days=200),
            units=units,
        )
    )
    return batch


def _shipped_from(product, batch, phone, email):
    checkout = create_checkout(
        [LineRequest(product.sku, 1)],
        hanoi_address(phone=phone),
        email=email,
        phone=phone,
    )
    sub = complete_checkout(checkout.pk, PaymentMethod.COD).sub_orders.get()
    set_sub_order_status(sub.pk, OrderStatus.CONFIRMED)
    line = sub.lines.get()
    details = Fulfilment(carrier="GHN", tracking_number="GHN-9", lots={line.pk: [batch.pk]})
    set_sub_order_status(sub.pk, OrderStatus.SHIPPED, details)
    return sub


@pytest.fixture
def lots(product):
    return _lot(product, "HONG1"), _lot(product, "TOT1")


def _post(client, batch_ids, reason=REASON, confirm="1"):
    return client.post(
        "/portal/thu-hoi/", {"lots": batch_ids, "reason": reason, "confirm": confirm}
    )


def test_recall_records_the_event_shows_the_banner_and_tells_the_buyers(
    client, owner, product, lots, mailoutbox, sms_outbox, django_capture_on_commit_callbacks
):
    bad, good = lots
    hit = _shipped_from(product, bad, "0912 000 111", "a@example.vn")
    spared = _shipped_from(product, good, "0912 000 222", "b@example.vn")
    mailoutbox.clear()
    sms_outbox.clear()
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, [bad.pk])
    assert response.status_code == 302
    event = Event.objects.filter(batch=bad).order_by("-seq").first()
    assert (event.disposition, event.biz_step) == ("recalled", "holding")
    assert REASON in event.note
    assert not Event.objects.filter(batch=good, disposition="recalled").exists()
    assert trace(bad).status.valid  # appended to the chain, not written around it

    assert [m.phone for m in sms_outbox] == ["+84912000111"]
    assert "THU HỒI" in sms_outbox[0].text and "HONG1" in sms_outbox[0].text
    assert REASON in sms_outbox[0].text
    assert [m.to for m in mailoutbox] == [["a@example.vn"]]
    assert hit.order.number in mailoutbox[0].subject
    assert spared.order.number not in str([m.subject for m in mailoutbox])

    page = client.get(digital_link.path_for(bad), HTTP_ACCEPT="text/html").content.decode()
    assert "THU HỒI" in page
    assert 'class="badge ok"' not in page and 'class="banner ok"' not in page
    healthy = client.get(digital_link.path_for(good), HTTP_ACCEPT="text/html").content.decode()
    assert 'class="badge ok"' in healthy and "Lô hàng này đang bị THU HỒI" not in healthy


def test_staff_recall_any_lot(client, django_user_model, product, lots, sms_outbox):
    bad, _ = lots
    staff = django_user_model.objects.create_user("+84977000000", password="x", is_staff=True)
    client.force_login(staff)
    assert _post(client, [bad.pk]).status_code == 302
    assert Event.objects.filter(batch=bad, disposition="recalled").count() == 1


@pytest.mark.parametrize(
    "reason, confirm, message",
    [
        ("   ", "1", "Cần ghi lý do thu hồi"),
        (REASON, "", "Hãy đánh dấu ô xác nhận"),
    ],
)
def test_bad_input_changes_nothing(client, owner, lots, reason, confirm, message):
    bad, _ = lots
    client.force_login(owner)
    before = Event.objects.count()
    response = _post(client, [bad.pk], reason, confirm)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Event.objects.count() == before


def test_no_lot_chosen_is_a_clear_error(client, owner, lots):
    client.force_login(owner)
    response = _post(client, [])
    assert response.status_code == 400
    assert "Hãy chọn ít nhất một lô" in response.content.decode()


def test_recalling_twice_is_refused(client, owner, lots):
    bad, _ = lots
    client.force_login(owner)
    _post(client, [bad.pk])
    before = Event.objects.count()
    response = _post(client, [bad.pk])
    assert "đã được thu hồi trước đó" in response.content.decode()
    assert Event.objects.count() == before


def test_another_producers_lot_is_not_found_and_nothing_is_recalled(
    client, owner, lots, other_product
):
    mine, _ = lots
    theirs = _lot(other_product, "KHAC9")
    client.force_login(owner)
    before = Event.objects.count()
    response = _post(client, [mine.pk, theirs.pk])
    assert response.status_code == 404
    assert Event.objects.count() == before  # not even my own lot: all or nothing

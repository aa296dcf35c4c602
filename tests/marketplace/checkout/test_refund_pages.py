"""The shopper's order page about money going back: refunds with their state, the refund
account form, the return form and the return's state; who may post them."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.checkout.models import Return, ReturnStatus, SubOrder
from marketplace.checkout.services.returns import decide, request_return, respond
from marketplace.payments import refunds
from marketplace.payments.models import Refund, RefundAccount, RefundStatus
from producers import fulfilment
from tests.marketplace.payments.refunding import (
    deliver,
    member_of,
    staff_user,
    two_line_order,
    vietqr_order,
)
from tests.marketplace.reviews import conftest as people
from tests.marketplace.reviews.conftest import grant

pytestmark = pytest.mark.django_db

_fast_password_hashing = people._fast_password_hashing
producer, other_producer, owner, other_owner = (
    people.producer,
    people.other_producer,
    people.owner,
    people.other_owner,
)
shopper, platform_staff, office_user = people.shopper, people.platform_staff, people.office_user

VCB = "970436"  # Vietcombank
ACCOUNT = {"bank_bin": VCB, "account_number": "0071 0001 23456", "holder_name": "Nguyễn Thị Lan"}


def cancelled_line_order(settings):
    """A paid VietQR order of two lines from one producer; its producer cancelled one line."""
    order = two_line_order(settings)
    sub = order.sub_orders.get()
    line = sub.lines.order_by("pk").first()
    fulfilment.cancel_order_line(member_of(sub.producer, "seller"), line.pk, "Hết hàng", sub.pk)
    return order, sub, line


def buyer(order) -> Client:
    client = Client()
    grant(client, order.number)
    return client


def page(client, order) -> str:
    response = client.get(f"/don-hang/{order.number}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_cancelled_line_shows_its_refund_and_asks_for_the_account(settings):
    order, sub, line = cancelled_line_order(settings)
    text = page(buyer(order), order)
    assert "Hoàn tiền" in text and "Đang xử lý" in text
    assert f"{line.line_total:,}".replace(",", ".") in text
    assert "chờ bạn cho tài khoản nhận tiền" in text
    assert "Tài khoản nhận tiền hoàn" in text and "Vietcombank" in text
    assert "<s>" in text and "đã hủy" in text


def test_the_account_is_saved_then_the_refund_shows_paid_with_its_reference(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order, sub, line = cancelled_line_order(settings)
    client = buyer(order)
    response = client.post(f"/don-hang/{order.number}/tai-khoan-hoan-tien/", ACCOUNT)
    assert response.status_code == 302 and response.url.endswith("#hoan-tien")
    account = RefundAccount.objects.get(payment=order.payment)
    assert (account.account_number, account.holder_name) == ("0071000123456", "NGUYEN THI LAN")
    text = page(client, order)
    assert "Đã lưu tài khoản nhận tiền hoàn." in text and "0071000123456" in text
    refund = Refund.objects.get(sub_order=sub)
    with django_capture_on_commit_callbacks(execute=True):
        refunds.mark_paid(staff_user(), refund.pk, "FT26336123456")
    text = page(client, order)
    assert "Đã hoàn" in text and "FT26336123456" in text
    subjects = [m.subject for m in mailoutbox]
    assert any("Đang hoàn tiền" in s for s in subjects)
    assert any("Đã hoàn tiền" in s for s in subjects)
    assert "FT26336123456" in mailoutbox[-1].body


def test_a_wrong_account_says_why_next_to_each_field_keeps_what_was_typed_saves_nothing(
    settings,
):
    order, sub, line = cancelled_line_order(settings)
    response = buyer(order).post(
        f"/don-hang/{order.number}/tai-khoan-hoan-tien/",
        {"bank_bin": "999999", "account_number": "12ab", "holder_name": "Lan 123"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Hãy chọn ngân hàng trong danh sách." in text
    assert "Số tài khoản gồm 6 đến 19 chữ số." in text
    assert "Tên chủ tài khoản chỉ gồm chữ cái" in text
    assert 'value="12ab"' in text and 'value="Lan 123"' in text
    assert 'id="id_account_number-error"' in text
    assert not RefundAccount.objects.exists()


def _people(django_user_model, owner, other_owner, shopper, platform_staff, office_user, order):
    """Everyone but the buyer, each as a client: none of them may post for the order."""
    other = vietqr_order_of_someone_else(order)
    clients = {"anonymous": Client(), "other shopper": buyer(other)}
    for name, user in {
        "shopper": shopper,
        "owner": owner,
        "other producer": other_owner,
        "staff": platform_staff,
        "office": office_user,
    }.items():
        client = Client()
        client.force_login(user)
        clients[name] = client
    return clients


def vietqr_order_of_someone_else(order):
    from marketplace.checkout.services.complete import complete_checkout
    from marketplace.payments.models import PaymentMethod
    from tests.marketplace.checkout.buying import checkout_for, three_producers

    return complete_checkout(checkout_for(three_producers()[:1]).pk, PaymentMethod.COD)


def test_only_the_buyer_may_give_the_refund_account(
    settings, django_user_model, owner, other_owner, shopper, platform_staff, office_user
):
    order, sub, line = cancelled_line_order(settings)
    clients = _people(
        django_user_model, owner, other_owner, shopper, platform_staff, office_user, order
    )
    url = f"/don-hang/{order.number}/tai-khoan-hoan-tien/"
    for name, client in clients.items():
        assert client.post(url, ACCOUNT).status_code == 404, name
        assert client.get(f"/don-hang/{order.number}/").status_code == 404, name
    assert not RefundAccount.objects.exists()
    assert Client().get(url).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    grant(strict, order.number)
    assert strict.post(url, ACCOUNT).status_code == 403
    assert not RefundAccount.objects.exists()
    assert buyer(order).post(url, ACCOUNT).status_code == 302


def delivered_order(settings, quantity=2):
    order = vietqr_order(settings, producers=1, quantity=quantity)
    return order, deliver(order.sub_orders.get())


def test_a_delivered_part_is_returned_from_the_page_and_its_state_follows(settings):
    order, sub = delivered_order(settings)
    line = sub.lines.get()
    client = buyer(order)
    text = page(client, order)
    assert "Gửi yêu cầu trả hàng" in text and f'name="r{sub.pk}-qty_{line.pk}"' in text
    response = client.post(
        f"/don-hang/{order.number}/tra-hang/{sub.pk}/",
        {f"r{sub.pk}-qty_{line.pk}": "1", f"r{sub.pk}-reason": "Một hũ bị nứt nắp"},
    )
    assert response.status_code == 302
    item = Return.objects.get(sub_order=sub)
    assert item.amount == line.unit_price and item.items.get().quantity == 1
    text = page(client, order)
    assert "Chờ người bán trả lời" in text and "Một hũ bị nứt nắp" in text
    assert "Gửi yêu cầu trả hàng" not in text
    seller = member_of(sub.producer, "seller")
    respond(seller, item.pk, accept=False, note="Hũ còn nguyên khi gửi")
    assert "Đang xem xét" in page(client, order)
    decide(staff_user(), item.pk, accept=True, note="Ảnh của khách cho thấy nắp nứt")
    text = page(client, order)
    assert "Đã quyết định: sàn chấp nhận trả hàng" in text and "Đang xử lý" in text


def test_the_producer_accepting_shows_as_such(settings):
    order, sub = delivered_order(settings)
    item = request_return(order, sub.pk, "Không đúng vị")
    respond(member_of(sub.producer, "seller"), item.pk, accept=True)
    assert "Người bán đồng ý nhận lại hàng" in page(buyer(order), order)


@pytest.mark.parametrize(
    "quantity, reason, message",
    [
        ("3", "Hũ bị nứt", "trả được từ 1 đến 2 (số đã nhận)"),
        ("0", "Hũ bị nứt", "Hãy chọn ít nhất một sản phẩm để trả."),
        ("2", "   ", "Hãy ghi lý do trả hàng để người bán biết."),
    ],
)
def test_a_bad_return_says_why_keeps_what_was_typed_and_creates_nothing(
    settings, quantity, reason, message
):
    order, sub = delivered_order(settings)
    line = sub.lines.get()
    response = buyer(order).post(
        f"/don-hang/{order.number}/tra-hang/{sub.pk}/",
        {f"r{sub.pk}-qty_{line.pk}": quantity, f"r{sub.pk}-reason": reason},
    )
    text = response.content.decode()
    assert response.status_code == 200 and message in text
    assert f'value="{quantity}"' in text
    if reason.strip():
        assert reason in text
    assert not Return.objects.exists()


def test_no_return_after_the_window(settings):
    settings.RETURN_WINDOW_DAYS = 3
    order, sub = delivered_order(settings)
    line = sub.lines.get()
    SubOrder.objects.filter(pk=sub.pk).update(
        delivered_at=timezone.now() - datetime.timedelta(days=3, minutes=1)
    )
    client = buyer(order)
    assert "Gửi yêu cầu trả hàng" not in page(client, order)
    response = client.post(
        f"/don-hang/{order.number}/tra-hang/{sub.pk}/",
        {f"r{sub.pk}-qty_{line.pk}": "1", f"r{sub.pk}-reason": "Hũ bị nứt"},
    )
    assert "Đã quá 3 ngày kể từ khi nhận hàng" in response.content.decode()
    assert not Return.objects.exists()


def test_only_the_buyer_may_return_and_only_a_part_of_this_order(
    settings, django_user_model, owner, other_owner, shopper, platform_staff, office_user
):
    order, sub = delivered_order(settings)
    line = sub.lines.get()
    data = {f"r{sub.pk}-qty_{line.pk}": "1", f"r{sub.pk}-reason": "Hũ bị nứt"}
    url = f"/don-hang/{order.number}/tra-hang/{sub.pk}/"
    clients = _people(
        django_user_model, owner, other_owner, shopper, platform_staff, office_user, order
    )
    for name, client in clients.items():
        assert client.post(url, data).status_code == 404, name
    other = vietqr_order_of_someone_else(order)
    foreign = other.sub_orders.get()
    # The buyer of `order` naming another order's part in the URL: not found.
    assert (
        buyer(order).post(f"/don-hang/{order.number}/tra-hang/{foreign.pk}/", data).status_code
        == 404
    )
    strict = Client(enforce_csrf_checks=True)
    grant(strict, order.number)
    assert strict.post(url, data).status_code == 403
    assert not Return.objects.exists()
    assert buyer(order).post(url, data).status_code == 302
    assert Return.objects.get().status == ReturnStatus.REQUESTED


def _queries(client, order) -> int:
    with CaptureQueriesContext(connection) as captured:
        page(client, order)
    return len(captured)


def test_the_order_page_with_refunds_and_returns_costs_the_same_for_more_parts(settings):
    """No query per sub-order, refund or return: one part and three cost the same."""
    counts = []
    for producers in (1, 3):
        order = vietqr_order(settings, producers=producers, quantity=2)
        for sub in order.sub_orders.all():
            sub = deliver(sub)
            item = request_return(order, sub.pk, "Hũ bị nứt")
            respond(member_of(sub.producer, f"seller-{sub.pk}"), item.pk, accept=True)
        assert (
            Refund.objects.filter(payment=order.payment, status=RefundStatus.PENDING).count()
            == producers
        )
        client = buyer(order)
        page(client, order)  # sessions, caches and the like warmed up
        counts.append(_queries(client, order))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 10, counts


def signed_in_shopper(phone: str) -> Client:
    """A browser signed in to a shopper account with that (verified) phone, no order grants."""
    from marketplace.accounts.models import Shopper
    from marketplace.accounts.session import SESSION_KEY

    shopper = Shopper.objects.create(phone=phone, verified_at=timezone.now())
    client = Client()
    session = client.session
    session[SESSION_KEY] = shopper.pk
    session.save()
    return client


def test_a_shopper_signed_in_with_the_ordering_phone_may_post_and_another_may_not(settings):
    order, sub = delivered_order(settings)
    line = sub.lines.get()
    data = {f"r{sub.pk}-qty_{line.pk}": "1", f"r{sub.pk}-reason": "Hũ bị nứt"}
    url = f"/don-hang/{order.number}/tra-hang/{sub.pk}/"
    assert signed_in_shopper("+84987000111").post(url, data).status_code == 404
    assert not Return.objects.exists()
    mine = signed_in_shopper(order.phone)
    assert mine.post(url, data).status_code == 302
    assert Return.objects.get().sub_order_id == sub.pk


def test_a_second_return_from_a_stale_tab_says_one_was_sent_and_keeps_the_first(settings):
    """Two tabs of the order page: the return sent from the first stands; the second tab's send
    is refused with the reason shown beside the return that exists, and nothing changes."""
    order, sub = delivered_order(settings)
    line = sub.lines.get()
    client = buyer(order)
    url = f"/don-hang/{order.number}/tra-hang/{sub.pk}/"
    first = client.post(url, {f"r{sub.pk}-qty_{line.pk}": "1", f"r{sub.pk}-reason": "Nứt nắp"})
    assert first.status_code == 302
    again = client.post(url, {f"r{sub.pk}-qty_{line.pk}": "2", f"r{sub.pk}-reason": "Sai vị"})
    text = again.content.decode()
    assert again.status_code == 200
    assert "Phần đơn này đã có yêu cầu trả hàng." in text and 'role="alert"' in text
    assert "Chờ người bán trả lời" in text and "Nứt nắp" in text
    item = Return.objects.get(sub_order=sub)
    assert item.reason == "Nứt nắp" and item.items.get().quantity == 1

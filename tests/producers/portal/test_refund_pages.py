"""Portal pages about money going back: cancelling one line (confirm step, scoped to the
sub-order in the URL and the member's producer), answering returns, and the staff refund desk
(bank refunds to send with their VietQR, disputed returns to decide)."""

import pytest
from django.test import Client

from marketplace.checkout.models import OrderLine, Return, ReturnStatus
from marketplace.checkout.services.returns import request_return, respond
from marketplace.payments import refunds
from marketplace.payments.models import Refund, RefundStatus
from marketplace.settlements.models import Entry, EntryKind
from tests.marketplace.payments.refunding import deliver, two_line_order, vietqr_order
from tests.marketplace.reviews import conftest as people

pytestmark = pytest.mark.django_db

_fast_password_hashing = people._fast_password_hashing
producer, other_producer, owner, other_owner = (
    people.producer,
    people.other_producer,
    people.owner,
    people.other_owner,
)
staff_member, shopper = people.staff_member, people.shopper
platform_staff, office_user = people.platform_staff, people.office_user


def as_user(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def seller_of(sub, django_user_model, name="seller"):
    from producers.models import MemberRole, Membership

    user = django_user_model.objects.create_user(username=name, password="x")
    Membership.objects.create(user=user, producer=sub.producer, role=MemberRole.OWNER)
    return user


@pytest.fixture
def paid(settings):
    """A paid VietQR order, one producer, two lines."""
    order = two_line_order(settings)
    return order.sub_orders.get()


def test_cancel_a_line_asks_first_then_cancels_it_and_refunds_it(paid, django_user_model):
    seller = as_user(seller_of(paid, django_user_model))
    line = paid.lines.order_by("pk").first()
    url = f"/portal/don-hang/{paid.pk}/huy/{line.pk}/"
    orders = seller.get("/portal/don-hang/").content.decode()
    assert url in orders and "Hủy sản phẩm này" in orders
    confirm = seller.get(url).content.decode()
    assert "Xác nhận hủy sản phẩm này" in confirm and line.name in confirm
    line.refresh_from_db()
    assert line.cancelled_at is None  # the GET only asks
    empty = seller.post(url, {"reason": "  "})
    assert empty.status_code == 400
    assert not Refund.objects.exists()
    done = seller.post(url, {"reason": "Hết hàng lô này"})
    assert done.status_code == 302 and done.url.endswith(f"#o{paid.pk}")
    line.refresh_from_db()
    assert line.cancelled_at is not None and line.cancel_reason == "Hết hàng lô này"
    refund = Refund.objects.get(sub_order=paid)
    assert refund.amount == line.line_total and refund.status == RefundStatus.PENDING
    again = seller.post(url, {"reason": "Hết hàng lô này"})
    assert again.status_code == 400 and "đã được hủy trước đó" in again.content.decode()
    assert Refund.objects.count() == 1


def test_a_line_of_another_sub_order_in_the_url_is_not_found(
    paid, settings, django_user_model, other_owner
):
    seller = as_user(seller_of(paid, django_user_model))
    line = paid.lines.order_by("pk").first()
    # Another order of the same producer: its sub-order id with this line's id.
    same_producer = two_line_order(settings).sub_orders.get()
    assert same_producer.producer_id == paid.producer_id
    foreign = vietqr_order(settings, producers=3).sub_orders.exclude(producer=paid.producer)[0]
    tampered = [
        f"/portal/don-hang/{same_producer.pk}/huy/{line.pk}/",
        f"/portal/don-hang/{foreign.pk}/huy/{line.pk}/",
        f"/portal/don-hang/{paid.pk}/huy/{foreign.lines.first().pk}/",
    ]
    for url in tampered:
        assert seller.get(url).status_code == 404, url
        assert seller.post(url, {"reason": "Hết hàng"}).status_code == 404, url
    assert not OrderLine.objects.filter(cancelled_at__isnull=False).exists()
    assert not Refund.objects.exists()


def stranger_of(sub, django_user_model):
    """The owner of a producer other than the sub-order's."""
    from producers.models import MemberRole, Membership, Producer

    user = django_user_model.objects.create_user(username="stranger", password="x")
    other = Producer.objects.exclude(pk=sub.producer_id).order_by("code").first()
    Membership.objects.create(user=user, producer=other, role=MemberRole.OWNER)
    return user


def test_who_may_cancel_a_line(paid, django_user_model, shopper, office_user):
    other_owner = stranger_of(paid, django_user_model)
    line = paid.lines.order_by("pk").first()
    url = f"/portal/don-hang/{paid.pk}/huy/{line.pk}/"
    anonymous = Client().post(url, {"reason": "Hết hàng"})
    assert anonymous.status_code == 302 and "/portal/dang-nhap/" in anonymous.url
    for who in (shopper, office_user):
        assert as_user(who).post(url, {"reason": "Hết hàng"}).status_code == 403
        assert as_user(who).get(url).status_code == 403
    assert as_user(other_owner).post(url, {"reason": "Hết hàng"}).status_code == 404
    assert as_user(other_owner).get(url).status_code == 404
    assert not Refund.objects.exists()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(seller_of(paid, django_user_model))
    assert strict.post(url, {"reason": "Hết hàng"}).status_code == 403
    assert not Refund.objects.exists()
    staff = as_user(people_staff(django_user_model))
    assert staff.post(url, {"reason": "Hết hàng"}).status_code == 302
    assert Refund.objects.count() == 1


def people_staff(django_user_model):
    return django_user_model.objects.create_user(username="staff-x", password="x", is_staff=True)


@pytest.fixture
def asked(settings):
    """A delivered VietQR order of one producer, returned by the shopper."""
    order = vietqr_order(settings, producers=1, quantity=2)
    sub = deliver(order.sub_orders.get())
    return request_return(order, sub.pk, "Một hũ bị nứt nắp")


def test_the_producer_sees_the_return_and_disputes_it_with_a_note(asked, django_user_model):
    seller = as_user(seller_of(asked.sub_order, django_user_model))
    listing = seller.get("/portal/tra-hang/").content.decode()
    assert "Một hũ bị nứt nắp" in listing and asked.sub_order.order.number in listing
    url = f"/portal/tra-hang/{asked.pk}/"
    no_note = seller.post(url, {"answer": "dispute", "note": " "})
    assert no_note.status_code == 400
    assert "Hãy ghi vì sao không đồng ý" in no_note.content.decode()
    asked.refresh_from_db()
    assert asked.status == ReturnStatus.REQUESTED
    disputed = seller.post(url, {"answer": "dispute", "note": "Hũ còn nguyên khi gửi"})
    assert disputed.status_code == 302
    asked.refresh_from_db()
    assert asked.status == ReturnStatus.DISPUTED and asked.producer_note == "Hũ còn nguyên khi gửi"
    assert not Refund.objects.exists()


def test_the_producer_accepts_and_the_shopper_is_refunded(asked, django_user_model):
    seller = as_user(seller_of(asked.sub_order, django_user_model))
    assert seller.post(f"/portal/tra-hang/{asked.pk}/", {"answer": "accept"}).status_code == 302
    asked.refresh_from_db()
    assert asked.status == ReturnStatus.ACCEPTED
    assert Refund.objects.get(sub_order=asked.sub_order).amount == asked.amount


def test_who_may_answer_a_return(asked, django_user_model, shopper, office_user):
    other_owner = stranger_of(asked.sub_order, django_user_model)
    url = f"/portal/tra-hang/{asked.pk}/"
    data = {"answer": "accept"}
    anonymous = Client().post(url, data)
    assert anonymous.status_code == 302 and "/portal/dang-nhap/" in anonymous.url
    for who in (shopper, office_user):
        assert as_user(who).post(url, data).status_code == 403
        assert as_user(who).get("/portal/tra-hang/").status_code == 403
    assert as_user(other_owner).post(url, data).status_code == 404
    assert (
        asked.sub_order.order.number
        not in as_user(other_owner).get("/portal/tra-hang/").content.decode()
    )
    assert Client().get("/portal/tra-hang/").status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(seller_of(asked.sub_order, django_user_model))
    assert strict.post(url, data).status_code == 403
    asked.refresh_from_db()
    assert asked.status == ReturnStatus.REQUESTED
    assert as_user(people_staff(django_user_model)).post(url, data).status_code == 302


# --- The staff refund desk ----------------------------------------------------------------------


@pytest.fixture
def waiting(paid, django_user_model):
    """A bank refund of a cancelled line, the shopper's account given."""
    from producers import fulfilment

    line = paid.lines.order_by("pk").first()
    fulfilment.cancel_order_line(seller_of(paid, django_user_model), line.pk, "Hết hàng")
    refunds.set_refund_account(paid.order.payment, "970436", "0071000123456", "Nguyen Thi Lan")
    return Refund.objects.get(sub_order=paid)


def test_the_desk_shows_what_to_send_with_a_vietqr_and_records_the_reference(
    waiting, platform_staff
):
    staff = as_user(platform_staff)
    desk = staff.get("/portal/hoan-tien/").content.decode()
    assert waiting.payment.order.number in desk and "0071000123456" in desk
    assert "NGUYEN THI LAN" in desk and "Vietcombank" in desk
    assert f"HOAN TIEN {waiting.payment.order.number}" in desk
    qr = staff.get(f"/portal/hoan-tien/{waiting.pk}/vietqr.png")
    assert qr.status_code == 200 and qr.content.startswith(b"\x89PNG")
    payload = refunds.transfer_payload(waiting)
    assert "0071000123456" in payload and str(waiting.amount) in payload
    url = f"/portal/hoan-tien/{waiting.pk}/da-chuyen/"
    empty = staff.post(url, {"bank_reference": " "})
    assert empty.status_code == 400 and "Cần mã giao dịch của ngân hàng" in empty.content.decode()
    bad = staff.post(url, {"bank_reference": "FT#1"})
    assert bad.status_code == 400 and 'value="FT#1"' in bad.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == RefundStatus.PENDING
    assert not Entry.objects.filter(kind=EntryKind.REFUND_PAID).exists()
    paid = staff.post(url, {"bank_reference": "FT26336123456"})
    assert paid.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RefundStatus.SUCCEEDED and waiting.bank_reference == "FT26336123456"
    twice = staff.post(url, {"bank_reference": "FT26336999999"}, follow=True)
    assert "đã được ghi là đã chuyển" in twice.content.decode()
    waiting.refresh_from_db()
    assert waiting.bank_reference == "FT26336123456"
    assert Entry.objects.filter(kind=EntryKind.REFUND_PAID).count() == 1
    assert waiting.payment.order.number not in staff.get("/portal/hoan-tien/").content.decode()
    assert staff.get(f"/portal/hoan-tien/{waiting.pk}/vietqr.png").status_code == 404


def test_only_platform_staff_use_the_desk(
    waiting, django_user_model, shopper, office_user, platform_staff
):
    seller = seller_of(waiting.sub_order, django_user_model, "seller-2")
    other_owner = stranger_of(waiting.sub_order, django_user_model)
    pages = ["/portal/hoan-tien/", f"/portal/hoan-tien/{waiting.pk}/vietqr.png"]
    posts = [f"/portal/hoan-tien/{waiting.pk}/da-chuyen/"]
    for page in pages + posts:
        anonymous = Client().post(page) if page in posts else Client().get(page)
        assert anonymous.status_code == 302 and "/portal/dang-nhap/" in anonymous.url, page
    for who in (shopper, other_owner, seller, office_user):
        client = as_user(who)
        for page in pages:
            assert client.get(page).status_code == 403, (who, page)
        for page in posts:
            assert client.post(page, {"bank_reference": "FT26336123456"}).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(platform_staff)
    assert strict.post(posts[0], {"bank_reference": "FT26336123456"}).status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == RefundStatus.PENDING
    assert as_user(platform_staff).get(pages[0]).status_code == 200


@pytest.fixture
def disputed(asked, django_user_model):
    respond(seller_of(asked.sub_order, django_user_model), asked.pk, False, "Hũ còn nguyên khi gửi")
    return Return.objects.get(pk=asked.pk)


def test_staff_decide_a_disputed_return_from_the_desk(disputed, platform_staff):
    staff = as_user(platform_staff)
    desk = staff.get("/portal/hoan-tien/").content.decode()
    assert "Hũ còn nguyên khi gửi" in desk and "Một hũ bị nứt nắp" in desk
    url = f"/portal/hoan-tien/tra-hang/{disputed.pk}/"
    no_note = staff.post(url, {"decision": "refuse", "note": ""})
    assert (
        no_note.status_code == 400
        and "Hãy ghi lý do từ chối cho khách." in no_note.content.decode()
    )
    disputed.refresh_from_db()
    assert disputed.status == ReturnStatus.DISPUTED
    assert (
        staff.post(url, {"decision": "accept", "note": "Ảnh cho thấy nắp nứt"}).status_code == 302
    )
    disputed.refresh_from_db()
    assert disputed.status == ReturnStatus.ACCEPTED and disputed.decided_by == platform_staff
    refund = Refund.objects.get(sub_order=disputed.sub_order)
    assert refund.amount == disputed.amount
    again = staff.post(url, {"decision": "refuse", "note": "Nhầm"}, follow=True)
    assert "không đổi được nữa" in again.content.decode()
    disputed.refresh_from_db()
    assert disputed.status == ReturnStatus.ACCEPTED


def test_only_platform_staff_decide(disputed, django_user_model, shopper, office_user):
    url = f"/portal/hoan-tien/tra-hang/{disputed.pk}/"
    data = {"decision": "accept"}
    assert "/portal/dang-nhap/" in Client().post(url, data).url
    seller = seller_of(disputed.sub_order, django_user_model, "seller-2")
    for who in (shopper, stranger_of(disputed.sub_order, django_user_model), office_user, seller):
        assert as_user(who).post(url, data).status_code == 403
    disputed.refresh_from_db()
    assert disputed.status == ReturnStatus.DISPUTED
    assert not Refund.objects.exists()

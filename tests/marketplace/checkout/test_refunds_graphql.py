"""GraphQL of refunds and returns: who may call what, bad input, and what the order shows."""

import pytest
from django.contrib.auth import get_user_model
from graphql_relay import to_global_id

from marketplace.access import office_group
from marketplace.checkout.models import ReturnStatus
from marketplace.payments.models import Refund, RefundAccount, RefundStatus
from marketplace.settlements.models import Entry, EntryKind
from tests.marketplace.payments.refunding import (
    deliver,
    member_of,
    staff_user,
    two_line_order,
    vietqr_order,
)

pytestmark = pytest.mark.django_db

PHONE = "0912 345 678"  # tests.marketplace.checkout.buying.hanoi_address

ACCOUNT = """mutation($n: String!, $p: String!, $bin: String!, $acc: String!, $h: String!) {
  refundAccountSet(number: $n, phone: $p, bankBin: $bin, accountNumber: $acc, holderName: $h) {
    refundAccount { bankBin accountNumber holderName } errors { field code message } } }"""
RETURN = """mutation($n: String!, $p: String!, $s: ID!, $r: String!, $l: [ID!]) {
  returnRequest(number: $n, phone: $p, subOrderId: $s, reason: $r, lineIds: $l) {
    returnRequest { id status amount { amount } lineIds } errors { field code message } } }"""
RESPOND = """mutation($id: ID!, $a: Boolean!, $note: String) {
  returnRespond(id: $id, accept: $a, note: $note) {
    returnRequest { status producerNote } errors { field code message } } }"""
DECIDE = """mutation($id: ID!, $a: Boolean!, $note: String) {
  returnDecide(id: $id, accept: $a, note: $note) {
    returnRequest { status } errors { field code message } } }"""
MARK_PAID = """mutation($id: ID!, $ref: String!) {
  refundMarkPaid(id: $id, bankReference: $ref) {
    refund { status bankReference } errors { field code message } } }"""
LINE_CANCEL = """mutation($id: ID!, $r: String!) {
  orderLineCancel(lineId: $id, reason: $r) {
    subOrder { subtotal { amount } lines { sku cancelledAt } } errors { field code message } } }"""
ORDER = """query($n: String!, $p: String!) { order(number: $n, phone: $p) {
  refunds { id amount { amount } status channel reason subOrderId }
  subOrders { id returnRequest { status reason } } } }"""
PENDING = "{ refundsPending { id amount { amount } } }"


def codes(body, name):
    return [(e["field"], e["code"]) for e in body["data"][name]["errors"]]


@pytest.fixture
def people(settings):
    order = vietqr_order(settings, producers=1)
    sub = deliver(order.sub_orders.get())
    other = vietqr_order(settings, producers=3).sub_orders.exclude(producer=sub.producer)[0]
    office = get_user_model().objects.create_user(username="office", password="x")
    office.groups.add(office_group())
    return {
        "order": order,
        "sub": sub,
        "owner": member_of(sub.producer),
        "other_producer": member_of(other.producer, username="other"),
        "staff": staff_user(),
        "office": office,
        "shopper": get_user_model().objects.create_user(username="shopper", password="x"),
    }


def test_shopper_requests_a_return_and_gives_an_account_and_others_cannot(people, client, graphql):
    order, sub = people["order"], people["sub"]
    base = {"n": order.number, "s": str(sub.pk), "r": "Hàng bị móp"}
    stranger = graphql(RETURN, {**base, "p": "0988 000 111"})  # another shopper's phone
    assert codes(stranger, "returnRequest") == [("number", "NOT_FOUND")]
    asked = graphql(RETURN, {**base, "p": PHONE})
    assert asked["data"]["returnRequest"]["errors"] == []
    assert asked["data"]["returnRequest"]["returnRequest"]["status"] == "REQUESTED"
    assert codes(graphql(RETURN, {**base, "p": PHONE}), "returnRequest") == [
        ("subOrderId", "RETURN_EXISTS")
    ]
    bad = graphql(ACCOUNT, {"n": order.number, "p": PHONE, "bin": "123", "acc": "x", "h": "1"})
    assert sorted(codes(bad, "refundAccountSet")) == [
        ("accountNumber", "INVALID_ACCOUNT_NUMBER"),
        ("bankBin", "INVALID_BANK"),
        ("holderName", "INVALID_HOLDER_NAME"),
    ]
    good = {"n": order.number, "p": PHONE, "bin": "970436", "acc": "0071001234567", "h": "Lan"}
    assert codes(graphql(ACCOUNT, {**good, "p": "0988 000 111"}), "refundAccountSet") == [
        ("number", "NOT_FOUND")
    ]
    saved = graphql(ACCOUNT, good)["data"]["refundAccountSet"]
    assert saved["errors"] == [] and saved["refundAccount"]["holderName"] == "LAN"
    assert RefundAccount.objects.count() == 1


def test_only_the_owner_answers_a_return_and_only_staff_decide_or_mark_paid(
    people, client, graphql
):
    order, sub = people["order"], people["sub"]
    asked = graphql(RETURN, {"n": order.number, "p": PHONE, "s": str(sub.pk), "r": "Móp"})
    return_id = asked["data"]["returnRequest"]["returnRequest"]["id"]
    dispute = {"id": return_id, "a": False, "note": "Hàng còn nguyên"}
    assert codes(graphql(RESPOND, dispute), "returnRespond") == [(None, "PERMISSION_DENIED")]
    for who, expected in (
        ("shopper", [(None, "PERMISSION_DENIED")]),
        ("office", [(None, "PERMISSION_DENIED")]),
        ("other_producer", [("id", "NOT_FOUND")]),
    ):
        client.force_login(people[who])
        assert codes(graphql(RESPOND, dispute), "returnRespond") == expected, who
    client.force_login(people["owner"])
    answered = graphql(RESPOND, dispute)["data"]["returnRespond"]
    assert answered["returnRequest"] == {"status": "DISPUTED", "producerNote": "Hàng còn nguyên"}
    for who in ("owner", "other_producer", "shopper", "office"):
        client.force_login(people[who])
        decided = graphql(DECIDE, {"id": return_id, "a": True})
        assert codes(decided, "returnDecide") == [(None, "PERMISSION_DENIED")], who
        assert "errors" in graphql(PENDING)  # a top-level denial
    client.logout()
    assert codes(graphql(DECIDE, {"id": return_id, "a": True}), "returnDecide") == [
        (None, "PERMISSION_DENIED")
    ]
    assert not Entry.objects.filter(kind=EntryKind.SALE_RETURNED).exists()
    client.force_login(people["staff"])
    decided = graphql(DECIDE, {"id": return_id, "a": True})["data"]["returnDecide"]
    assert decided["returnRequest"]["status"] == "ACCEPTED"
    refund = Refund.objects.get(sub_order=sub)
    assert graphql(PENDING)["data"]["refundsPending"] == [
        {"id": str(refund.pk), "amount": {"amount": sub.total}}
    ]
    assert codes(graphql(MARK_PAID, {"id": str(refund.pk), "ref": "FT1"}), "refundMarkPaid") == [
        ("id", "REFUND_NO_ACCOUNT")
    ]
    client.logout()
    graphql(
        ACCOUNT,
        {"n": order.number, "p": PHONE, "bin": "970436", "acc": "0071001234567", "h": "Lan"},
    )
    for who in ("owner", "shopper", "office"):
        client.force_login(people[who])
        refused = graphql(MARK_PAID, {"id": str(refund.pk), "ref": "FT26120001"})
        assert codes(refused, "refundMarkPaid") == [(None, "PERMISSION_DENIED")], who
    client.force_login(people["staff"])
    paid = graphql(MARK_PAID, {"id": str(refund.pk), "ref": "FT26120001"})["data"]
    assert paid["refundMarkPaid"]["refund"] == {
        "status": "SUCCEEDED",
        "bankReference": "FT26120001",
    }
    again = graphql(MARK_PAID, {"id": str(refund.pk), "ref": "FT26120001"})
    assert codes(again, "refundMarkPaid") == [("id", "REFUND_NOT_PENDING")]
    assert Entry.objects.filter(kind=EntryKind.REFUND_PAID).count() == 1
    client.logout()
    shown = graphql(ORDER, {"n": order.number, "p": PHONE})["data"]["order"]
    assert shown["refunds"] == [
        {
            "id": str(refund.pk),
            "amount": {"amount": sub.total},
            "status": "SUCCEEDED",
            "channel": "BANK",
            "reason": "RETURN",
            "subOrderId": str(sub.pk),
        }
    ]
    assert shown["subOrders"][0]["returnRequest"]["status"] == ReturnStatus.ACCEPTED.name


def test_order_line_cancel_by_its_producer_only(settings, client, graphql):
    order = two_line_order(settings)
    sub = order.sub_orders.get()
    line = sub.lines.order_by("pk").first()
    variables = {"id": to_global_id("OrderLine", line.pk), "r": "Hết hàng"}
    other = vietqr_order(settings, producers=3).sub_orders.exclude(producer=sub.producer)[0]
    client.force_login(member_of(other.producer, username="other"))
    assert codes(graphql(LINE_CANCEL, variables), "orderLineCancel") == [("lineId", "NOT_FOUND")]
    client.force_login(member_of(sub.producer))
    empty = graphql(LINE_CANCEL, {**variables, "r": " "})
    assert codes(empty, "orderLineCancel") == [("reason", "REQUIRED")]
    done = graphql(LINE_CANCEL, variables)["data"]["orderLineCancel"]
    assert done["errors"] == []
    assert done["subOrder"]["subtotal"]["amount"] == sub.subtotal - line.line_total
    assert Refund.objects.get(key=f"line:{line.pk}").status == RefundStatus.PENDING
    twice = graphql(LINE_CANCEL, variables)
    assert codes(twice, "orderLineCancel") == [("lineId", "LINE_CANCELLED")]
    assert Refund.objects.count() == 1


RETURN_UNITS = """mutation($n: String!, $p: String!, $s: ID!, $r: String!, $q: [ReturnLineInput!]) {
  returnRequest(number: $n, phone: $p, subOrderId: $s, reason: $r, quantities: $q) {
    returnRequest { amount { amount } lines { lineId quantity } }
    errors { field code message } } }"""


def test_a_return_of_some_units_over_graphql(settings, graphql):
    order = vietqr_order(settings, producers=1, quantity=3)
    sub = deliver(order.sub_orders.get())
    line = sub.lines.get()
    base = {"n": order.number, "p": PHONE, "s": str(sub.pk), "r": "Hai hũ bị nứt"}
    too_many = graphql(RETURN_UNITS, {**base, "q": [{"lineId": str(line.pk), "quantity": 4}]})
    assert codes(too_many, "returnRequest") == [("lineIds", "INVALID_QUANTITY")]
    asked = graphql(RETURN_UNITS, {**base, "q": [{"lineId": str(line.pk), "quantity": 2}]})
    payload = asked["data"]["returnRequest"]
    assert payload["errors"] == []
    assert payload["returnRequest"]["amount"]["amount"] == 2 * line.unit_price
    assert payload["returnRequest"]["lines"] == [
        {"lineId": to_global_id("OrderLine", line.pk), "quantity": 2}
    ]

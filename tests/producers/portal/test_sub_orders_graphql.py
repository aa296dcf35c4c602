"""Root `subOrders`: the portal's order view through the API, scoped, paged, without N+1."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.checkout.models import OrderStatus
from marketplace.checkout.services.checkout import LineRequest, create_checkout
from marketplace.checkout.services.complete import complete_checkout
from marketplace.checkout.services.orders import Fulfilment, set_sub_order_status
from marketplace.payments import services as payments
from marketplace.payments.models import PaymentMethod
from tests.marketplace.checkout.buying import hanoi_address
from tests.producers.portal import slips
from traceability.lots import BatchData, create_batch

pytestmark = pytest.mark.django_db

QUERY = """query($first: Int!, $after: String, $status: String) {
  subOrders(first: $first, after: $after, status: $status) {
    edges { cursor node { id number status note paymentMethod paymentStatus
      codAmount { amount }
      recipient { fullName phone streetAddress wardCode provinceCode vpostcode }
      lines { sku quantity lots } shippingSlipUrl } }
    pageInfo { hasNextPage endCursor } } }"""


def _order(product, method=PaymentMethod.COD, quantity=1):
    checkout = create_checkout(
        [LineRequest(product.sku, quantity)],
        hanoi_address(),
        email="lan@example.vn",
        note="Giao giờ hành chính",
    )
    return complete_checkout(checkout.pk, method).sub_orders.get(producer=product.producer)


def _query(client, **variables):
    variables.setdefault("first", 20)
    response = client.post(
        "/graphql/", {"query": QUERY, "variables": variables}, content_type="application/json"
    )
    assert response.status_code == 200
    return response.json()


def _nodes(payload):
    return [edge["node"] for edge in payload["data"]["subOrders"]["edges"]]


def test_owner_reads_every_contract_field(client, owner, product):
    lot, _ = create_batch(
        BatchData(
            product=product,
            lot="API1",
            packed_on=datetime.date.today(),
            best_before=datetime.date.today() + datetime.timedelta(days=90),
            units=10,
        )
    )
    cod = _order(product, quantity=2)
    set_sub_order_status(cod.pk, OrderStatus.CONFIRMED)
    set_sub_order_status(
        cod.pk, OrderStatus.SHIPPED, Fulfilment(carrier="GHN", tracking_number="GHN-1")
    )
    unpaid = _order(product, PaymentMethod.VIETQR)
    paid = _order(product, PaymentMethod.VIETQR)
    payment = paid.order.payment
    payments.receive(payment, payment.amount, "vietqr:api-test")
    client.force_login(owner)
    nodes = {n["id"]: n for n in _nodes(_query(client))}
    shipped = nodes[str(cod.pk)]
    order = cod.order
    assert shipped == {
        "id": str(cod.pk),
        "number": order.number,
        "status": "SHIPPED",
        "note": "Giao giờ hành chính",
        "paymentMethod": "COD",
        "paymentStatus": "COD",
        "codAmount": {"amount": cod.total},
        "recipient": {
            "fullName": order.full_name,
            "phone": order.address_phone,
            "streetAddress": order.street_address,
            "wardCode": order.ward_id,
            "provinceCode": order.province_id,
            "vpostcode": order.vpostcode,
        },
        "lines": [{"sku": product.sku, "quantity": 2, "lots": [lot.lot]}],
        "shippingSlipUrl": f"http://testserver/portal/don-hang/{cod.pk}/phieu-gui.pdf",
    }
    assert nodes[str(unpaid.pk)]["paymentStatus"] == "AWAITING"
    assert nodes[str(unpaid.pk)]["shippingSlipUrl"] is None
    assert nodes[str(unpaid.pk)]["codAmount"] == {"amount": 0}
    assert nodes[str(paid.pk)]["paymentStatus"] == "PAID"
    # the slip URL serves the A6 PDF whose Code 128 is the order number
    pdf = client.get(shipped["shippingSlipUrl"].removeprefix("http://testserver"))
    (page,) = slips.pages(pdf.content)
    assert slips.code128(page) == [order.number]


def test_other_producers_sub_orders_are_never_visible(client, other_owner, product, other_product):
    mine = _order(product)
    theirs = _order(other_product)
    client.force_login(other_owner)
    payload = _query(client)
    numbers = {n["number"] for n in _nodes(payload)}
    assert theirs.order.number in numbers
    assert mine.order.number not in numbers
    assert str(mine.pk) not in {n["id"] for n in _nodes(payload)}


@pytest.mark.parametrize("who", ["anonymous", "shopper"])
def test_non_members_are_refused(client, shopper, product, who):
    _order(product)
    if who == "shopper":
        client.force_login(shopper)
    payload = _query(client)
    assert payload["data"] is None
    assert payload["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


def test_pages_and_status_filter(client, owner, product):
    subs = [_order(product) for _ in range(3)]
    set_sub_order_status(subs[0].pk, OrderStatus.CONFIRMED)
    client.force_login(owner)
    first = _query(client, first=2)["data"]["subOrders"]
    assert [e["node"]["id"] for e in first["edges"]] == [str(subs[2].pk), str(subs[1].pk)]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = _query(client, first=2, after=first["pageInfo"]["endCursor"])["data"]["subOrders"]
    ids = [e["node"]["id"] for e in rest["edges"]]
    assert ids[0] == str(subs[0].pk)
    confirmed = _nodes(_query(client, status="CONFIRMED"))
    assert [n["id"] for n in confirmed] == [str(subs[0].pk)]


@pytest.mark.parametrize(
    "variables, code",
    [
        ({"status": "PAID"}, "INVALID_STATUS"),
        ({"first": 0}, "INVALID_PAGE_SIZE"),
        ({"first": 101}, "INVALID_PAGE_SIZE"),
        ({"after": "not-a-cursor"}, "INVALID_CURSOR"),
    ],
)
def test_bad_arguments_are_clear_errors(client, owner, product, variables, code):
    client.force_login(owner)
    payload = _query(client, **variables)
    assert payload["errors"][0]["extensions"]["code"] == code


def test_query_count_does_not_grow_with_sub_orders(client, owner, product):
    client.force_login(owner)
    for _ in range(2):
        _order(product)
    with CaptureQueriesContext(connection) as few:
        assert len(_nodes(_query(client))) >= 2
    for _ in range(6):
        sub = _order(product)
        set_sub_order_status(sub.pk, OrderStatus.CONFIRMED)
        set_sub_order_status(
            sub.pk, OrderStatus.SHIPPED, Fulfilment(carrier="GHN", tracking_number="GHN-2")
        )
    with CaptureQueriesContext(connection) as many:
        assert len(_nodes(_query(client))) >= 8
    assert len(many.captured_queries) == len(few.captured_queries)

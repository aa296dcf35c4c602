import pytest

from tests.marketplace.checkout.buying import three_producers

pytestmark = pytest.mark.django_db

CREATE = """
mutation($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) {
    checkout { id totalPrice { amount currency } shippingAddress { postalCode vpostcode } }
    errors { field code message }
  }
}"""

COMPLETE = """
mutation($id: ID!, $method: PaymentMethod!) {
  checkoutComplete(checkoutId: $id, paymentMethod: $method) {
    order { number status total { amount currency }
      subOrders { producer { name } status shippingFee { amount } }
      payment { method status vietqrPayload stripeClientSecret } }
    errors { field code message }
  }
}"""


def checkout_input(products, quantity=1, **overrides):
    data = {
        "lines": [{"sku": p.sku, "quantity": quantity} for p in products],
        "phone": "0912345678",
        "email": "lan@example.vn",
        "shippingAddress": {
            "fullName": "Nguyễn Thị Lan",
            "phone": "0912345678",
            "provinceCode": "01",
            "wardCode": "00004",
            "streetAddress": "12 Phố Điện Biên Phủ",
        },
        "note": "Giao giờ hành chính",
    }
    data.update(overrides)
    return data


def create(graphql, products, **overrides):
    body = graphql(CREATE, {"input": checkout_input(products, **overrides)})
    return body["data"]["checkoutCreate"]


def test_create_and_complete_with_cod(graphql, django_assert_max_num_queries):
    products = three_producers()
    payload = create(graphql, products, quantity=2)
    assert payload["errors"] == []
    checkout = payload["checkout"]
    assert checkout["totalPrice"]["currency"] == "VND"
    assert checkout["shippingAddress"]["postalCode"] == "10000"
    # Writes grow with lines and producers (one stock UPDATE per line, one sub-order per
    # producer); reads do not: the order is re-read with its relations prefetched.
    with django_assert_max_num_queries(30):
        body = graphql(COMPLETE, {"id": checkout["id"], "method": "COD"})
    result = body["data"]["checkoutComplete"]
    assert result["errors"] == []
    order = result["order"]
    assert order["status"] == "NEW"
    assert order["total"] == checkout["totalPrice"]
    assert len(order["subOrders"]) == 3
    assert {s["producer"]["name"] for s in order["subOrders"]} == {
        p.producer.name for p in products
    }
    assert (
        sum(s["shippingFee"]["amount"] for s in order["subOrders"])
        + sum(p.price * 2 for p in products)
        == order["total"]["amount"]
    )
    assert order["payment"] == {
        "method": "COD",
        "status": "PENDING",
        "vietqrPayload": None,
        "stripeClientSecret": None,
    }
    again = graphql(COMPLETE, {"id": checkout["id"], "method": "COD"})
    assert again["data"]["checkoutComplete"]["order"]["number"] == order["number"]


def test_complete_with_vietqr_returns_the_payload(graphql, settings):
    settings.VIETQR_BANK_BIN = "970403"
    settings.VIETQR_ACCOUNT_NUMBER = "0011012345678"
    payload = create(graphql, three_producers()[:1])
    body = graphql(COMPLETE, {"id": payload["checkout"]["id"], "method": "VIETQR"})
    order = body["data"]["checkoutComplete"]["order"]
    qr = order["payment"]["vietqrPayload"]
    assert qr.startswith("000201010212")
    assert "0208QRIBFTTA" in qr and "5303704" in qr
    assert f"0108{order['number']}" in qr
    assert f"54{len(str(order['total']['amount'])):02d}{order['total']['amount']}" in qr


def test_create_reports_errors_in_the_contract_shape(graphql):
    product = three_producers()[0]
    payload = create(
        graphql,
        [product],
        quantity=product.stock.quantity + 1,
        phone="123",
    )
    assert payload["checkout"] is None
    assert {(e["code"], e["field"]) for e in payload["errors"]} == {
        ("OUT_OF_STOCK", "lines[0].quantity"),
        ("INVALID_PHONE", "phone"),
    }
    assert all(e["message"] for e in payload["errors"])


def test_complete_out_of_stock_uses_the_contract_code(graphql):
    product = three_producers()[0]
    payload = create(graphql, [product], quantity=3)
    product.stock.quantity = 1
    product.stock.save()
    body = graphql(COMPLETE, {"id": payload["checkout"]["id"], "method": "COD"})
    result = body["data"]["checkoutComplete"]
    assert result["order"] is None
    assert result["errors"][0]["code"] == "OUT_OF_STOCK"
    assert product.sku in result["errors"][0]["message"]


def test_unknown_checkout(graphql):
    body = graphql(COMPLETE, {"id": "not-a-uuid", "method": "COD"})
    assert body["data"]["checkoutComplete"]["errors"][0]["code"] == "NOT_FOUND"


CART_ADD = """
mutation($token: String, $lines: [CheckoutLineInput!]!) {
  cartLinesAdd(token: $token, lines: $lines) {
    cart { token lines { product { sku } quantity } subtotal { amount } }
    errors { field code message }
  }
}"""


def test_cart_mutations(graphql):
    a, b = three_producers()[:2]
    first = graphql(CART_ADD, {"lines": [{"sku": a.sku, "quantity": 2}]})["data"]["cartLinesAdd"]
    token = first["cart"]["token"]
    second = graphql(CART_ADD, {"token": token, "lines": [{"sku": b.sku, "quantity": 1}]})
    cart = second["data"]["cartLinesAdd"]["cart"]
    assert cart["token"] == token
    assert cart["subtotal"]["amount"] == a.price * 2 + b.price
    update = graphql(
        """mutation($t: String!, $s: String!) { cartLineUpdate(token: $t, sku: $s, quantity: 5) {
            cart { lines { quantity } } errors { code } } }""",
        {"t": token, "s": a.sku},
    )["data"]["cartLineUpdate"]
    assert update["errors"] == [] and update["cart"]["lines"][0]["quantity"] == 5
    removed = graphql(
        """mutation($t: String!, $s: String!) { cartLineRemove(token: $t, sku: $s) {
            cart { lines { product { sku } } } errors { code } } }""",
        {"t": token, "s": a.sku},
    )["data"]["cartLineRemove"]
    assert [line["product"]["sku"] for line in removed["cart"]["lines"]] == [b.sku]
    bad = graphql(CART_ADD, {"token": token, "lines": [{"sku": "NOPE", "quantity": 1}]})
    assert bad["data"]["cartLinesAdd"]["errors"][0]["code"] == "NOT_FOUND"


def test_order_lookup_query(graphql):
    payload = create(graphql, three_producers()[:1])
    number = graphql(COMPLETE, {"id": payload["checkout"]["id"], "method": "COD"})["data"][
        "checkoutComplete"
    ]["order"]["number"]
    query = "query($n: String!, $p: String!) { order(number: $n, phone: $p) { number } }"
    assert graphql(query, {"n": number, "p": "+84912345678"})["data"]["order"]["number"] == number
    wrong = graphql(query, {"n": number, "p": "0900000000"})
    assert wrong["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_shopper_sees_carrier_and_tracking_number_once_shipped(graphql):
    from marketplace.checkout.models import Order, OrderStatus
    from marketplace.checkout.services.orders import Fulfilment, set_sub_order_status

    payload = create(graphql, three_producers()[:1])
    number = graphql(COMPLETE, {"id": payload["checkout"]["id"], "method": "COD"})["data"][
        "checkoutComplete"
    ]["order"]["number"]
    sub_order = Order.objects.get(number=number).sub_orders.get()
    set_sub_order_status(sub_order.pk, OrderStatus.CONFIRMED)
    set_sub_order_status(
        sub_order.pk,
        OrderStatus.SHIPPED,
        Fulfilment(carrier="Viettel Post", tracking_number="vtp 123456"),
    )
    query = """query($n: String!, $p: String!) { order(number: $n, phone: $p) {
        subOrders { status carrier trackingNumber shippedAt } } }"""
    shipped = graphql(query, {"n": number, "p": "+84912345678"})["data"]["order"]["subOrders"][0]
    assert shipped["status"] == "SHIPPED"
    assert shipped["carrier"] == "Viettel Post"
    assert shipped["trackingNumber"] == "VTP123456"
    assert shipped["shippedAt"]

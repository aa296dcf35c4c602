"""Producer mutations: inputs, their own error types, partial updates, multipart photos."""

import pytest
from graphql_relay import to_global_id

from marketplace.catalog.models import Product, ProductStatus
from tests.producers.portal.pictures import jpeg_bytes
from tests.producers.portal.test_authorization import _upload_mutation

pytestmark = pytest.mark.django_db

CREATE = """mutation($code: String!, $input: ProductCreateInput!) {
  productCreate(producerCode: $code, input: $input) {
    product { sku name status stock price { amount currency } ocopCertificate { number } }
    errors { __typename field code message } } }"""


def test_product_create(client, graphql, owner, producer):
    client.force_login(owner)
    certificate = producer.certificates.first()
    result = graphql(
        CREATE,
        {
            "code": producer.code,
            "input": {
                # the certified product in another size: the certificate covers it
                "name": f"{certificate.product_name} hũ 500g",
                "productSet": "1.8",
                "unit": "hũ 500g",
                "price": 120000,
                "stock": 15,
                "certificateNumber": certificate.number,
            },
        },
    )
    payload = result["data"]["productCreate"]
    assert payload["errors"] == []
    assert payload["product"]["status"] == "DRAFT"
    assert payload["product"]["price"] == {"amount": 120000, "currency": "VND"}
    assert payload["product"]["stock"] == 15
    assert payload["product"]["ocopCertificate"]["number"] == certificate.number


def test_a_certificate_of_another_product_is_refused(client, graphql, owner, producer):
    client.force_login(owner)
    certificate = producer.certificates.first()
    count = Product.objects.count()
    result = graphql(
        CREATE,
        {
            "code": producer.code,
            "input": {
                "name": "Mắm cá sặc",
                "productSet": "1.8",
                "unit": "hũ 500g",
                "price": 120000,
                "certificateNumber": certificate.number,
            },
        },
    )
    payload = result["data"]["productCreate"]
    assert payload["product"] is None
    (error,) = payload["errors"]
    assert (error["field"], error["code"]) == ("certificateNumber", "CERTIFICATE_NOT_COVERING")
    assert certificate.product_name in error["message"] and "Mắm cá sặc" in error["message"]
    assert Product.objects.count() == count


def test_product_create_errors_name_fields(client, graphql, owner, producer):
    client.force_login(owner)
    count = Product.objects.count()
    result = graphql(
        CREATE,
        {
            "code": producer.code,
            "input": {"name": " ", "productSet": "1.8", "unit": "hũ", "price": -1, "stock": -5},
        },
    )
    errors = result["data"]["productCreate"]["errors"]
    assert {(e["field"], e["code"]) for e in errors} == {
        ("name", "REQUIRED"),
        ("price", "INVALID_PRICE"),
        ("stock", "INVALID_QUANTITY"),
    }
    assert {e["__typename"] for e in errors} == {"ProductCreateError"}
    assert Product.objects.count() == count


def test_product_update_is_partial_and_publishes(client, graphql, owner, product):
    client.force_login(owner)
    name, unit = product.name, product.unit
    result = graphql(
        """mutation($id: ID!) { productUpdate(id: $id, input: {price: 99000, published: false}) {
        product { name unit status price { amount } } errors { __typename code } } }""",
        {"id": to_global_id("Product", product.pk)},
    )
    payload = result["data"]["productUpdate"]
    assert payload["errors"] == []
    assert payload["product"] == {
        "name": name,
        "unit": unit,
        "status": "HIDDEN",
        "price": {"amount": 99000},
    }
    product.refresh_from_db()
    assert product.status == ProductStatus.HIDDEN


def test_product_update_unknown_set_is_an_error(client, graphql, owner, product):
    client.force_login(owner)
    result = graphql(
        """mutation($id: ID!) { productUpdate(id: $id, input: {productSet: "9.9"}) {
        product { sku } errors { __typename field code } } }""",
        {"id": to_global_id("Product", product.pk)},
    )
    assert result["data"]["productUpdate"]["errors"] == [
        {"__typename": "ProductUpdateError", "field": "productSet", "code": "UNKNOWN_PRODUCT_SET"}
    ]


def test_bad_ids_are_not_found(client, graphql, owner):
    client.force_login(owner)
    for bad in ("nonsense", to_global_id("Producer", 1), to_global_id("Product", 10**9)):
        result = graphql(
            """mutation($id: ID!) { stockUpdate(productId: $id, quantity: 1) {
            errors { __typename code } } }""",
            {"id": bad},
        )
        assert result["data"]["stockUpdate"]["errors"] == [
            {"__typename": "StockUpdateError", "code": "NOT_FOUND"}
        ]


def test_stock_update(client, graphql, staff_member, product):
    client.force_login(staff_member)
    query = """mutation($id: ID!, $q: Int!) { stockUpdate(productId: $id, quantity: $q) {
        product { stock } errors { field code message } } }"""
    gid = to_global_id("Product", product.pk)
    assert graphql(query, {"id": gid, "q": 4})["data"]["stockUpdate"]["product"]["stock"] == 4
    refused = graphql(query, {"id": gid, "q": -1})["data"]["stockUpdate"]
    assert refused["errors"][0]["code"] == "INVALID_QUANTITY"
    assert "không được âm" in refused["errors"][0]["message"]
    product.stock.refresh_from_db()
    assert product.stock.quantity == 4


def test_image_upload_multipart(client, owner, product):
    client.force_login(owner)
    response = _upload_mutation(client, product, jpeg_bytes((2000, 1000)))
    payload = response.json()["data"]["productImageUpload"]
    assert payload["errors"] == []
    assert (payload["image"]["width"], payload["image"]["height"]) == (1600, 800)
    assert payload["image"]["thumbnailUrl"].endswith("_160.webp")

    refused = _upload_mutation(client, product, b"GIF89a? no", name="anh.jpg").json()
    assert refused["data"]["productImageUpload"]["errors"][0] == {
        "field": "image",
        "code": "NOT_AN_IMAGE",
        "message": "Tệp này không phải là ảnh (JPEG, PNG, WebP). Hãy chọn một tấm ảnh.",
    }
    assert product.images.count() == 1


SUB_ORDER_UPDATE = """mutation($id: ID!, $action: SubOrderAction!, $carrier: String,
  $trackingNumber: String, $reason: String) {
  subOrderUpdate(id: $id, action: $action, carrier: $carrier, trackingNumber: $trackingNumber,
    reason: $reason) { status errors { __typename field code message } } }"""


def test_sub_order_ship_and_cancel_need_their_details(client, graphql, owner, confirmed_sub_order):
    client.force_login(owner)
    variables = {"id": str(confirmed_sub_order.pk)}
    payload = graphql(SUB_ORDER_UPDATE, {**variables, "action": "SHIP"})["data"]["subOrderUpdate"]
    assert payload["status"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("carrier", "REQUIRED"),
        ("trackingNumber", "REQUIRED"),
    ]
    payload = graphql(SUB_ORDER_UPDATE, {**variables, "action": "CANCEL"})["data"]
    assert [(e["field"], e["code"]) for e in payload["subOrderUpdate"]["errors"]] == [
        ("reason", "REQUIRED")
    ]
    confirmed_sub_order.refresh_from_db()
    assert confirmed_sub_order.status == "confirmed"

    shipped = graphql(
        SUB_ORDER_UPDATE,
        {**variables, "action": "SHIP", "carrier": "J&T Express", "trackingNumber": "jt 8899"},
    )["data"]["subOrderUpdate"]
    assert shipped == {"status": "SHIPPED", "errors": []}
    confirmed_sub_order.refresh_from_db()
    assert (confirmed_sub_order.carrier, confirmed_sub_order.tracking_number) == (
        "J&T Express",
        "JT8899",
    )

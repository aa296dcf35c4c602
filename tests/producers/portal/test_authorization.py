"""Authorization matrix: every portal page and every producer mutation, for every kind of user.

anonymous → sign-in page (pages) or PERMISSION_DENIED (API); shopper → 403 / PERMISSION_DENIED;
member of another producer → 404 / NOT_FOUND with nothing of the product in the answer;
staff member → allowed except owner-only pages; owner → allowed. Denials change nothing.
"""

import datetime
import json

import pytest
from django.utils import timezone
from graphql_relay import to_global_id

from marketplace.catalog.models import Product, ProductImage
from marketplace.checkout.models import SubOrder
from marketplace.coverage.models import ExternalListing
from producers import listings
from producers.models import Membership
from tests.producers.portal.pictures import jpeg_bytes, upload
from traceability.models import Event

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "shopper", "stranger", "staff", "owner"]


@pytest.fixture
def actors(shopper, other_owner, staff_member, owner):
    return {
        "anonymous": None,
        "shopper": shopper,
        "stranger": other_owner,
        "staff": staff_member,
        "owner": owner,
    }


@pytest.fixture
def photo(owner, product):
    """The product's first of two photos (two, so that moving one changes the order)."""
    first = listings.add_photo(owner, product.pk, upload(jpeg_bytes((64, 64))))
    listings.add_photo(owner, product.pk, upload(jpeg_bytes((64, 64))))
    return first


def _snapshot(product) -> dict:
    product.refresh_from_db()
    return {
        "sub_orders": list(SubOrder.objects.values_list("pk", "status")),
        "events": Event.objects.count(),
        "products": Product.objects.count(),
        "images": ProductImage.objects.count(),
        "memberships": Membership.objects.count(),
        "shop_links": list(ExternalListing.objects.order_by("pk").values_list("pk", "url")),
        "row": (product.name, product.price, product.status, product.stock.quantity),
        "image_order": list(product.images.order_by("position").values_list("pk", flat=True)),
    }


def _shop_link(product):
    return {"product": product.sku, "platform": "lazada", "url": "https://www.lazada.vn/p/mam-1"}


def _form(product):
    return {
        "producer": product.producer.code,
        "name": "Tên mới",
        "product_set": product.product_set_id,
        "unit": "hũ",
        "price": "1k",
        "stock": "1",
    }


# (name, method, path, data, scope, status when allowed). scope: "product" pages are about one
# product of the first producer; "own" pages show the user's own producers; "owner" pages too,
# but only for owners.
ENDPOINTS = [
    ("dashboard", "get", "/portal/", None, "own", 200),
    ("list", "get", "/portal/san-pham/", None, "own", 200),
    ("create form", "get", "/portal/san-pham/moi/", None, "own", 200),
    ("create", "post", "/portal/san-pham/moi/", _form, "own", 302),
    ("edit form", "get", "/portal/san-pham/{pk}/", None, "product", 200),
    ("edit", "post", "/portal/san-pham/{pk}/", _form, "product", 302),
    ("quick edit", "post", "/portal/san-pham/{pk}/sua-nhanh/", {"stock": "77"}, "product", 302),
    (
        "hide",
        "post",
        "/portal/san-pham/{pk}/dang-ban/",
        {"action": "hide", "confirm": "1"},
        "product",
        302,
    ),
    (
        "hide asks first",
        "post",
        "/portal/san-pham/{pk}/dang-ban/",
        {"action": "hide"},
        "product",
        200,
    ),
    ("duplicate", "post", "/portal/san-pham/{pk}/nhan-ban/", {}, "product", 302),
    ("photos", "get", "/portal/san-pham/{pk}/anh/", None, "product", 200),
    ("photo upload", "post", "/portal/san-pham/{pk}/anh/", "upload", "product", 302),
    ("photo delete", "post", "/portal/san-pham/{pk}/anh/{image}/xoa/", {}, "product", 302),
    (
        "photo move",
        "post",
        "/portal/san-pham/{pk}/anh/{image}/di-chuyen/",
        {"direction": "down"},
        "product",
        302,
    ),
    ("orders", "get", "/portal/don-hang/", None, "own", 200),
    ("order action", "post", "/portal/don-hang/{order}/", {"action": "confirm"}, "product", 302),
    (
        "order ship",
        "post",
        "/portal/don-hang/{confirmed}/",
        {"action": "ship", "carrier": "VNPost", "tracking_number": "EL123456789VN"},
        "product",
        302,
    ),
    (
        "order cancel",
        "post",
        "/portal/don-hang/{order}/",
        {"action": "cancel", "reason": "Hết hàng"},
        "product",
        302,
    ),
    ("shipping slip", "get", "/portal/don-hang/{order}/phieu-gui.pdf", None, "product", 200),
    ("slips batch", "get", "/portal/don-hang/phieu-gui.pdf?don={order}", None, "product", 200),
    ("orders to ship", "get", "/portal/don-hang/?trang-thai=confirmed", None, "own", 200),
    ("awaiting", "get", "/portal/don-hang/?thanh-toan=cho-thanh-toan", None, "own", 200),
    ("low stock", "get", "/portal/san-pham/?ton-kho=sap-het", None, "own", 200),
    ("expiring", "get", "/portal/san-pham/?chung-nhan=sap-het-han", None, "own", 200),
    ("flagged lots", "get", "/portal/lo/?canh-bao=1", None, "own", 200),
    ("shop links", "get", "/portal/gian-hang-khac/", None, "own", 200),
    ("shop link add", "post", "/portal/gian-hang-khac/", _shop_link, "own", 302),
    ("shop link delete", "post", "/portal/gian-hang-khac/{link}/xoa/", {}, "product", 302),
    ("lots", "get", "/portal/lo/", None, "own", 200),
    ("lot", "get", "/portal/lo/{lot}/", None, "product", 200),
    ("lot event", "post", "/portal/lo/{lot}/", "event", "product", 302),
    ("recall form", "get", "/portal/thu-hoi/?lo={lot}", None, "own", 200),
    (
        "recall",
        "post",
        "/portal/thu-hoi/",
        {"lots": "{lot}", "reason": "Nghi nhiễm khuẩn", "confirm": "1"},
        "product",
        302,
    ),
    ("members", "get", "/portal/thanh-vien/", None, "owner", 200),
    ("invite", "post", "/portal/thanh-vien/", {"phone": "0966 123 456"}, "owner", 200),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "name, method, path, data, scope, allowed_status", ENDPOINTS, ids=[e[0] for e in ENDPOINTS]
)
def test_portal_pages(
    request, client, actors, product, role, name, method, path, data, scope, allowed_status
):
    user = actors[role]
    if user is not None:
        client.force_login(user)
    url = path.format(
        pk=product.pk,
        image=request.getfixturevalue("photo").pk if "{image}" in path else 0,
        order=request.getfixturevalue("sub_order").pk if "{order}" in path else 0,
        lot=request.getfixturevalue("lot").pk if "{lot}" in path else 0,
        confirmed=request.getfixturevalue("confirmed_sub_order").pk if "{confirmed}" in path else 0,
        link=request.getfixturevalue("shop_link").pk if "{link}" in path else 0,
    )
    if data == "event":
        moment = timezone.localtime() - datetime.timedelta(minutes=1)
        data = {"step": "packing", "when": moment.strftime("%Y-%m-%dT%H:%M")}
    elif data == "upload":
        data = {"image": upload(jpeg_bytes((64, 64)))}
    elif callable(data):
        data = data(product)
    elif isinstance(data, dict) and "{lot}" in data.values():
        data = {
            k: request.getfixturevalue("lot").pk if v == "{lot}" else v for k, v in data.items()
        }
    before = _snapshot(product)
    response = getattr(client, method)(url, data or {})
    body = response.content.decode(errors="replace")  # slips are PDF

    denied = role in ("anonymous", "shopper") or (role == "stranger" and scope == "product")
    denied = denied or (role == "staff" and scope == "owner")
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/portal/dang-nhap/?next=")
    elif role == "shopper" or (role == "staff" and scope == "owner"):
        assert response.status_code == 403
    elif role == "stranger" and scope == "product":
        assert response.status_code == 404
    elif role == "stranger" and name in ("create", "shop link add"):
        assert response.status_code == 200  # the first producer('s product) is not a choice
    else:
        assert response.status_code == allowed_status, body[:500]

    if denied or role == "stranger":
        # Nothing of the first producer's product leaks, nothing changes.
        assert product.sku not in body
        assert f'action="/portal/san-pham/{product.pk}/' not in body
        if not (role == "stranger" and scope == "owner" and method == "post"):
            assert _snapshot(product) == before
    else:
        if name == "hide asks first":  # the confirmation page, nothing changed yet
            assert "Ngừng bán" in body and _snapshot(product) == before
        elif method == "post":
            assert _snapshot(product) != before


def test_stranger_cannot_create_for_another_producer(client, other_owner, product):
    client.force_login(other_owner)
    count = Product.objects.count()
    response = client.post("/portal/san-pham/moi/", _form(product))
    assert response.status_code == 200
    assert Product.objects.count() == count


def test_stranger_invites_only_into_their_own_producer(client, other_owner, other_producer):
    client.force_login(other_owner)
    client.post("/portal/thanh-vien/", {"phone": "0966 123 456"})
    membership = Membership.objects.get(user__username="+84966123456")
    assert membership.producer == other_producer


# --- GraphQL mutations ----------------------------------------------------------------------

MUTATIONS = {
    "productCreate": (
        """mutation($code: String!) { productCreate(producerCode: $code, input: {name: "Mắm mới",
        productSet: "1.8", unit: "hũ", price: 50000, stock: 3}) {
        product { sku name } errors { field code message } } }""",
        lambda product: {"code": product.producer.code},
    ),
    "productUpdate": (
        """mutation($id: ID!) { productUpdate(id: $id, input: {price: 1000, published: false}) {
        product { sku name } errors { field code message } } }""",
        lambda product: {"id": to_global_id("Product", product.pk)},
    ),
    "stockUpdate": (
        """mutation($id: ID!) { stockUpdate(productId: $id, quantity: 999) {
        product { sku name } errors { field code message } } }""",
        lambda product: {"id": to_global_id("Product", product.pk)},
    ),
}


# action → (fixture of the sub-order it applies to, extra arguments, status after)
SUB_ORDER_MOVES = {
    "CONFIRM": ("sub_order", "", "confirmed"),
    "SHIP": ("confirmed_sub_order", ', carrier: "GHTK", trackingNumber: "S123-ABC"', "shipped"),
    "CANCEL": ("sub_order", ', reason: "Khách nhờ huỷ"', "cancelled"),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", SUB_ORDER_MOVES)
def test_sub_order_update(request, client, actors, role, action):
    fixture, extra, after = SUB_ORDER_MOVES[action]
    sub_order = request.getfixturevalue(fixture)
    before = sub_order.status
    user = actors[role]
    if user is not None:
        client.force_login(user)
    response = client.post(
        "/graphql/",
        {
            "query": f"""mutation($id: ID!) {{ subOrderUpdate(id: $id, action: {action}{extra}) {{
            status errors {{ __typename code }} }} }}""",
            "variables": {"id": str(sub_order.pk)},
        },
        content_type="application/json",
    )
    payload = response.json()["data"]["subOrderUpdate"]
    sub_order.refresh_from_db()
    expected = {"anonymous": "PERMISSION_DENIED", "shopper": "PERMISSION_DENIED"}
    expected["stranger"] = "NOT_FOUND"
    if role in expected:
        assert payload == {
            "status": None,
            "errors": [{"__typename": "SubOrderUpdateError", "code": expected[role]}],
        }
        assert sub_order.status == before
        assert (sub_order.tracking_number, sub_order.cancel_reason) == ("", "")
    else:
        assert payload == {"status": after.upper(), "errors": []}
        assert sub_order.status == after


@pytest.mark.parametrize("role", ROLES)
def test_sub_orders_query(client, actors, role, sub_order):
    user = actors[role]
    if user is not None:
        client.force_login(user)
    response = client.post(
        "/graphql/",
        {"query": "{ subOrders(first: 50) { edges { node { id number recipient { phone } } } } }"},
        content_type="application/json",
    )
    payload = response.json()
    if role in ("anonymous", "shopper"):
        assert payload["data"] is None
        assert payload["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
        return
    ids = {edge["node"]["id"] for edge in payload["data"]["subOrders"]["edges"]}
    if role == "stranger":
        assert str(sub_order.pk) not in ids and sub_order.order.number not in str(payload)
    else:
        assert str(sub_order.pk) in ids


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("mutation", [*MUTATIONS, "productImageUpload"])
def test_mutations(client, actors, product, role, mutation):
    user = actors[role]
    if user is not None:
        client.force_login(user)
    before = _snapshot(product)
    if mutation == "productImageUpload":
        response = _upload_mutation(client, product, jpeg_bytes((64, 64)))
    else:
        query, variables = MUTATIONS[mutation]
        response = client.post(
            "/graphql/",
            {"query": query, "variables": variables(product)},
            content_type="application/json",
        )
    assert response.status_code == 200
    payload = response.json()["data"][mutation]
    codes = [e["code"] for e in payload["errors"]]
    if role in ("anonymous", "shopper"):
        assert codes == ["PERMISSION_DENIED"] and payload["product"] is None
    elif role == "stranger":
        assert codes == ["NOT_FOUND"] and payload["product"] is None
        assert product.sku not in response.content.decode()
    else:
        assert codes == [] and payload["product"]["sku"]
        assert _snapshot(product) != before
        return
    assert _snapshot(product) == before


def _upload_mutation(client, product, data: bytes, name="anh.jpg"):
    """The GraphQL multipart request spec: operations + map + the file part."""
    operations = {
        "query": """mutation($id: ID!, $file: Upload!) {
            productImageUpload(productId: $id, image: $file) {
              product { sku name } image { width height thumbnailUrl(size: 160) }
              errors { field code message } } }""",
        "variables": {"id": to_global_id("Product", product.pk), "file": None},
    }
    return client.post(
        "/graphql/",
        {
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.file"]}),
            "0": upload(data, name),
        },
    )

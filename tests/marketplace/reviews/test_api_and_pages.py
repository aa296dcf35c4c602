"""reviewCreate, product.rating / product.reviews, sort by rating, the review pages and the
portal replies: authorization matrix, bad inputs and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

from marketplace.catalog.models import Product
from marketplace.reviews import services
from marketplace.reviews.models import Review
from marketplace.reviews.services import Buyer
from tests.marketplace.reviews.conftest import first_line, grant, place_order
from tests.producers.portal.pictures import jpeg_bytes, upload

pytestmark = pytest.mark.django_db

CREATE = """mutation($input: ReviewCreateInput!) { reviewCreate(input: $input) {
  review { rating text authorName reply { text } } errors { field code message } } }"""


def _review(order, rating=5, text=""):
    return services.create_review(
        first_line(order).pk,
        Buyer(order_numbers=frozenset({order.number})),
        rating=rating,
        text=text,
    )


def test_review_create_needs_proof_of_purchase(graphql, client, order, line):
    variables = {"input": {"lineId": to_global_id("OrderLine", line.pk), "rating": 5}}
    body = graphql(CREATE, variables)
    assert body["data"]["reviewCreate"]["errors"][0]["code"] == "NOT_FOUND"
    wrong = {**variables["input"], "orderNumber": order.number, "phone": "0933 333 333"}
    body = graphql(CREATE, {"input": wrong})
    assert body["data"]["reviewCreate"]["errors"][0]["code"] == "NOT_FOUND"
    assert not Review.objects.exists()
    proved = {**variables["input"], "orderNumber": order.number, "phone": "0912 345 678"}
    body = graphql(CREATE, {"input": {**proved, "text": "Rất ngon"}})
    assert body["data"]["reviewCreate"] == {
        "review": {"rating": 5, "text": "Rất ngon", "authorName": "Lan N.", "reply": None},
        "errors": [],
    }
    body = graphql(CREATE, {"input": proved})
    assert body["data"]["reviewCreate"]["errors"][0]["code"] == "ALREADY_REVIEWED"


def test_review_create_reports_every_bad_field(graphql, client, order, line):
    grant(client, order.number)
    body = graphql(CREATE, {"input": {"lineId": str(line.pk), "rating": 6, "text": "x" * 2001}})
    errors = body["data"]["reviewCreate"]["errors"]
    assert {(e["field"], e["code"]) for e in errors} == {
        ("rating", "INVALID_RATING"),
        ("text", "TEXT_TOO_LONG"),
    }
    assert all(e["message"] for e in errors)


def test_a_session_grant_counts_only_with_the_csrf_check(order, line):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    grant(browser, order.number)
    response = browser.post(
        "/graphql/",
        {"query": CREATE, "variables": {"input": {"lineId": str(line.pk), "rating": 5}}},
        content_type="application/json",
    )
    assert response.json()["data"]["reviewCreate"]["errors"][0]["code"] == "NOT_FOUND"


def test_product_rating_and_reviews_pages(graphql, product, platform_staff):
    orders = [place_order(product) for _ in range(3)]
    for number, order in enumerate(orders, start=3):
        _review(order, rating=number, text=f"Lần {number}")
    services.reply(platform_staff, Review.objects.get(rating=5).pk, "Cảm ơn")
    query = """query($sku: String, $after: String) { product(sku: $sku) { rating { average count }
      reviews(first: 2, after: $after) { edges { node { rating text reply { text } } }
      pageInfo { hasNextPage endCursor } } } }"""
    data = graphql(query, {"sku": product.sku})["data"]["product"]
    assert data["rating"] == {"average": 4.0, "count": 3}
    page = data["reviews"]
    assert [e["node"]["rating"] for e in page["edges"]] == [5, 4]  # newest first
    assert page["edges"][0]["node"]["reply"] == {"text": "Cảm ơn"}
    after = page["pageInfo"]["endCursor"]
    rest = graphql(query, {"sku": product.sku, "after": after})["data"]["product"]["reviews"]
    assert [e["node"]["rating"] for e in rest["edges"]] == [3]
    assert rest["pageInfo"]["hasNextPage"] is False
    bad = graphql(query, {"sku": product.sku, "after": "garbage"})
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_CURSOR"


def test_rating_on_a_listing_costs_no_query_per_product(graphql, product):
    _review(place_order(product), rating=4)
    query = """{ products(first: %d, sortBy: {field: RATING, direction: DESC}) {
      edges { node { sku rating { average count } } } } }"""
    with CaptureQueriesContext(connection) as few:
        graphql(query % 2)
    with CaptureQueriesContext(connection) as many:
        body = graphql(query % 40)
    assert len(many) == len(few)
    nodes = [e["node"] for e in body["data"]["products"]["edges"]]
    assert len(nodes) == 40
    assert nodes[0] == {"sku": product.sku, "rating": {"average": 4.0, "count": 1}}
    assert nodes[1]["rating"] == {"average": None, "count": 0}


def test_sort_by_rating_puts_the_best_rated_first_and_pages_on(graphql, client, product):
    other = Product.objects.published().exclude(pk=product.pk).filter(stock__quantity__gte=5)
    other = other.order_by("sku").first()
    _review(place_order(product), rating=3)
    _review(place_order(other), rating=5)
    query = """query($after: String) { products(first: 1, after: $after,
      sortBy: {field: RATING, direction: DESC}) { edges { node { sku } cursor } } }"""
    first = graphql(query)["data"]["products"]["edges"][0]
    assert first["node"]["sku"] == other.sku
    second = graphql(query, {"after": first["cursor"]})["data"]["products"]["edges"][0]
    assert second["node"]["sku"] == product.sku
    html = client.get("/san-pham/", {"sort": "rating"}).content.decode()
    assert html.index(other.name) < html.index(product.name)


def test_product_page_shows_rating_reviews_and_replies_in_constant_queries(
    client, product, platform_staff
):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/san-pham/{product.slug}/").status_code == 200
        return len(queries)

    review = _review(place_order(product), rating=4, text="Thơm\nngon")
    services.reply(platform_staff, review.pk, "Cảm ơn chị")
    one = count()
    for _ in range(3):
        services.create_review(
            first_line(o := place_order(product)).pk,
            Buyer(order_numbers=frozenset({o.number})),
            rating=5,
            photos=[upload(jpeg_bytes((300, 200)))],
        )
    assert count() == one
    html = client.get(f"/san-pham/{product.slug}/").content.decode()
    assert "4,8" in html or "4.8" in html
    assert "Thơm<br>ngon" in html and "Cảm ơn chị" in html
    assert html.count('class="review"') == 4


def test_review_page_for_the_buyer_only(client, order, line, product):
    url = f"/don-hang/{order.number}/danh-gia/{line.pk}/"
    assert client.get(url).status_code == 404  # anonymous
    grant(client, "AAAAAAAA")
    assert client.get(url).status_code == 404  # someone else's order
    grant(client, order.number)
    page = client.get(f"/don-hang/{order.number}/").content.decode()
    assert url in page  # the order page links to it
    assert client.get(url).status_code == 200
    response = client.post(url, {"rating": "9", "text": "x"})
    assert response.status_code == 200 and not Review.objects.exists()
    response = client.post(
        url, {"rating": "5", "text": "Giòn", "photos": [upload(b"not an image", name="a.png")]}
    )
    assert "không phải là ảnh" in response.content.decode() and not Review.objects.exists()
    response = client.post(url, {"rating": "5", "text": "Giòn", "photos": [upload(jpeg_bytes())]})
    assert response.status_code == 302
    assert Review.objects.get().photos.count() == 1
    assert client.get(url).status_code == 302  # reviewed: back to the order, with a message
    assert "Đã đánh giá" in client.get(f"/don-hang/{order.number}/").content.decode()
    assert client.get(f"/don-hang/XXXX/danh-gia/{line.pk}/").status_code == 404


def test_review_page_refuses_a_line_not_yet_delivered(client, product):
    order = place_order(product, delivered=False)
    grant(client, order.number)
    response = client.get(f"/don-hang/{order.number}/danh-gia/{first_line(order).pk}/")
    assert response.status_code == 302


def _sign_in(client, user):
    client.force_login(user)


def test_portal_reply_authorization_matrix(
    client, order, owner, staff_member, other_owner, shopper, platform_staff, office_user
):
    review = _review(order, rating=2)
    url = f"/portal/danh-gia/{review.pk}/tra-loi/"
    response = client.post(url, {"text": "x"})
    assert response.status_code == 302 and "/portal/dang-nhap/" in response["Location"]
    for user, status in ((shopper, 403), (office_user, 403), (other_owner, 404)):
        _sign_in(client, user)
        assert client.post(url, {"text": "Không phải tôi"}).status_code == status, user
        assert client.get("/portal/danh-gia/").status_code in (200, 403)
    review.refresh_from_db()
    assert review.reply_text == ""
    _sign_in(client, other_owner)
    assert "Ngon" not in client.get("/portal/danh-gia/").content.decode()
    for user in (owner, staff_member, platform_staff):
        _sign_in(client, user)
        listing = client.get("/portal/danh-gia/")
        assert listing.status_code == 200 and f"review-{review.pk}" in listing.content.decode()
        assert client.post(url, {"text": f"Cảm ơn từ {user.username}"}).status_code == 302
        review.refresh_from_db()
        assert review.reply_text == f"Cảm ơn từ {user.username}"


def test_staff_moderate_in_the_admin_with_a_reason(client, order, product, platform_staff, owner):
    review = _review(order, rating=1)
    url = f"/admin/reviews/review/{review.pk}/change/"
    inline = {"photos-TOTAL_FORMS": "0", "photos-INITIAL_FORMS": "0"}
    client.force_login(owner)  # a producer is not staff
    assert client.get(url).status_code == 302
    client.force_login(platform_staff)
    assert client.get(url).status_code == 200
    response = client.post(url, {**inline, "hidden": "on", "reason": ""})
    assert response.status_code == 200  # the form asks for the reason
    review.refresh_from_db()
    assert review.hidden_at is None
    response = client.post(url, {**inline, "hidden": "on", "reason": "Quảng cáo"})
    assert response.status_code == 302
    review.refresh_from_db()
    product.refresh_from_db()
    assert (review.hidden_reason, review.hidden_by, product.rating_count) == (
        "Quảng cáo",
        platform_staff,
        0,
    )
    assert "Quảng cáo" not in client.get(f"/san-pham/{product.slug}/").content.decode()
    assert client.post(url, {**inline, "reason": "Đã xem lại"}).status_code == 302
    product.refresh_from_db()
    assert product.rating_count == 1


def test_review_writes_and_shopper_sign_in_carry_their_limits(client, settings, order, line):
    from django.core.cache import cache
    from django.urls import resolve

    settings.RATE_LIMITS_ENABLED = True
    cache.clear()
    try:
        url = f"/don-hang/{order.number}/danh-gia/{line.pk}/"
        assert "review" in [name for name, _ in resolve(url).func.rate_limits]
        statuses = [client.post(url, {"rating": "x"}).status_code for _ in range(11)]
        assert statuses[:10] == [404] * 10 and statuses[10] == 429
        sends = [
            client.post("/tai-khoan/dang-nhap/", {"phone": "0912345678"}).status_code
            for _ in range(6)
        ]
        assert sends[-1] == 429 and 429 not in sends[:5]
        body = client.post(
            "/graphql/",
            {"query": CREATE, "variables": {"input": {"lineId": str(line.pk), "rating": 5}}},
            content_type="application/json",
        ).json()  # the page's 11 tries spent the budget: the API shares it
        assert body["data"]["reviewCreate"]["errors"][0]["code"] == "RATE_LIMITED"
    finally:
        cache.clear()

"""`product`, `producer`, `ocopGroups` and `productSets`."""

import datetime

import pytest
from django.utils import timezone

from marketplace.catalog.models import Product, ProductStatus
from marketplace.taxonomy.ocop_sets import GROUPS, SETS
from producers.models import Membership, OcopCertificate, Producer
from tests.marketplace.catalog import sample

pytestmark = pytest.mark.django_db

PRODUCT = """
query One($sku: String, $slug: String) {
  product(sku: $sku, slug: $slug) {
    id sku gtin name slug ocopStars description status stock thumbnailUrl
    ocopCertificate { number expiresOn valid }
    producer { name kind ward { code name } }
    price { amount currency }
  }
}
"""


def test_product_by_sku_and_by_slug(graphql):
    row = sample.published()[0]
    by_sku = graphql(PRODUCT, {"sku": row["sku"]})["data"]["product"]
    assert by_sku["name"] == row["name"]
    assert by_sku["price"] == {"amount": int(row["price_vnd"]), "currency": "VND"}
    assert by_sku["ocopCertificate"]["number"] == row["certificate_no"]
    by_slug = graphql(PRODUCT, {"slug": by_sku["slug"]})["data"]["product"]
    assert by_slug == by_sku


def test_unknown_product_is_null(graphql):
    assert graphql(PRODUCT, {"sku": "KHONG-CO"}) == {"data": {"product": None}}


def test_product_needs_sku_or_slug(graphql):
    body = graphql(PRODUCT)
    assert body["data"]["product"] is None
    assert body["errors"][0]["extensions"]["code"] == "REQUIRED"


@pytest.mark.parametrize("status", ["draft", "hidden"])
def test_unpublished_product_is_null_for_anonymous(graphql, status):
    row = next(row for row in sample.products() if row["status"] == status)
    assert graphql(PRODUCT, {"sku": row["sku"]})["data"]["product"] is None


def test_draft_is_visible_to_its_producer_member(client, graphql, django_user_model):
    draft = Product.objects.filter(status=ProductStatus.DRAFT).select_related("producer").first()
    member = django_user_model.objects.create_user("thanh-vien")
    Membership.objects.create(user=member, producer=draft.producer)
    stranger = django_user_model.objects.create_user("nguoi-la")

    client.force_login(stranger)
    assert graphql(PRODUCT, {"sku": draft.sku})["data"]["product"] is None
    client.force_login(member)
    assert graphql(PRODUCT, {"sku": draft.sku})["data"]["product"]["status"] == "DRAFT"


def test_product_of_a_suspended_producer_is_null(graphql):
    row = sample.published()[0]
    Producer.objects.filter(code=row["producer_code"]).update(is_active=False)
    assert graphql(PRODUCT, {"sku": row["sku"]})["data"]["product"] is None


def test_certificate_valid_on_given_day(graphql):
    row = sample.published()[0]
    query = """query($sku: String, $day: Date) { product(sku: $sku) {
      ocopCertificate { issuedOn expiresOn valid(on: $day) } } }"""

    def valid_on(day: str) -> bool:
        body = graphql(query, {"sku": row["sku"], "day": day})
        return body["data"]["product"]["ocopCertificate"]["valid"]

    issued = datetime.date.fromisoformat(row["certified_on"])
    expires = datetime.date.fromisoformat(row["expires_on"])
    one_day = datetime.timedelta(days=1)
    assert not valid_on((issued - one_day).isoformat())
    assert valid_on(issued.isoformat())
    assert valid_on(expires.isoformat())
    assert not valid_on((expires + one_day).isoformat())


PRODUCER = """
query($code: String, $slug: String) {
  producer(code: $code, slug: $slug) {
    id code name slug kind phone streetAddress latitude longitude
    ward { code name divisionType provinceCode }
  }
}
"""


def test_producer_by_code_and_slug(graphql):
    row = sample.producers()["AG0001"]
    producer = graphql(PRODUCER, {"code": "AG0001"})["data"]["producer"]
    assert producer["name"] == row["name"]
    assert producer["kind"] == row["kind"].upper()
    assert producer["phone"] == row["phone"]
    assert producer["latitude"] == pytest.approx(float(row["latitude"]))
    assert producer["ward"]["code"] == row["ward_code"]
    assert producer["ward"]["name"] == row["ward_name"]
    assert producer["ward"]["provinceCode"] == row["province_code"]
    assert graphql(PRODUCER, {"slug": producer["slug"]})["data"]["producer"] == producer


def test_suspended_or_unknown_producer_is_null(graphql):
    Producer.objects.filter(code="AG0001").update(is_active=False)
    assert graphql(PRODUCER, {"code": "AG0001"})["data"]["producer"] is None
    assert graphql(PRODUCER, {"code": "KHONGCO"})["data"]["producer"] is None


def test_producer_needs_code_or_slug(graphql):
    assert graphql(PRODUCER)["errors"][0]["extensions"]["code"] == "REQUIRED"


def test_ocop_groups_follow_decision_148(graphql, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        body = graphql("{ ocopGroups { number name nameEn sets { code name group { number } } } }")
    groups = body["data"]["ocopGroups"]
    assert [(g["number"], g["name"], g["nameEn"]) for g in groups] == GROUPS
    assert sum(len(g["sets"]) for g in groups) == len(SETS) == 26
    for group in groups:
        assert group["sets"]
        for product_set in group["sets"]:
            assert product_set["code"].split(".")[0] == str(group["number"])
    assert groups[0]["sets"][7] == {
        "code": "1.8",
        "name": "Chế biến từ thịt, trứng, sữa, cá, mật ong",
        "group": {"number": 1},
    }


def test_product_sets_in_decision_order(graphql, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        body = graphql("{ productSets { code name nameEn group { number name } } }")
    sets = body["data"]["productSets"]
    assert [(s["code"], s["name"], s["nameEn"]) for s in sets] == SETS
    assert {s["group"]["number"] for s in sets} == {1, 2, 3, 4, 5, 6}
    # Every set the sample catalog uses is known.
    assert {row["ocop_set"] for row in sample.products()} <= {s["code"] for s in sets}


@pytest.mark.parametrize(
    ("issued", "expires", "valid"),
    [(0, 0, True), (-30, -1, False), (1, 30, False), (-30, 0, True)],
    ids=["issued-and-expiring-today", "expired-yesterday", "issued-tomorrow", "last-valid-day"],
)
def test_valid_defaults_to_today_in_vietnam(graphql, issued, expires, valid):
    row = sample.published()[0]
    today = timezone.localdate()  # Asia/Ho_Chi_Minh
    OcopCertificate.objects.filter(number=row["certificate_no"]).update(
        issued_on=today + datetime.timedelta(days=issued),
        expires_on=today + datetime.timedelta(days=expires),
    )
    body = graphql(PRODUCT, {"sku": row["sku"]})
    assert body["data"]["product"]["ocopCertificate"]["valid"] is valid

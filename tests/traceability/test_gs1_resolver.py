"""The GS1-Conformant resolver: GTIN-only URIs, walk-up, RFC 9264 linksets, linkType
redirects, the resolver description, CORS, HEAD/OPTIONS, 400s and hostile input."""

import datetime
import json
from pathlib import Path

import jsonschema
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from marketplace.catalog import gtin as gtin_rules
from marketplace.catalog.models import Product, ProductStatus
from marketplace.coverage import shop_links
from producers.models import MemberRole, Membership
from tests.traceability.conftest import SAMPLE_GTIN, SAMPLE_LOT, SERIALISED_GTIN, SERIALISED_LOT
from traceability.events import EventData, record_event
from traceability.models import Scan
from traceability.selectors import find_batch

pytestmark = pytest.mark.django_db

LINKSET_SCHEMA = json.loads((Path(__file__).parent / "linkset-rfc9264.schema.json").read_text())
GTIN14 = f"0{SAMPLE_GTIN}"
PRODUCT_URI = f"/01/{GTIN14}"
LOT_URI = f"{PRODUCT_URI}/10/{SAMPLE_LOT}"
VOC = "https://gs1.org/voc/"
EVERY_TYPE = (
    "defaultLink",
    "pip",
    "traceability",
    "epcis",
    "certificationInfo",
    "recallStatus",
    "hasRetailers",
)


def linkset_of(response) -> dict:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/linkset+json"
    assert "Location" not in response
    document = json.loads(response.content)
    jsonschema.validate(document, LINKSET_SCHEMA)
    return document


def links(document, anchor_suffix: str) -> dict:
    contexts = {c["anchor"].removeprefix("http://testserver"): c for c in document["linkset"]}
    return contexts[anchor_suffix]


# ---------------------------------------------------------------- GTIN-only and walk-up


def test_gtin_only_redirects_to_the_product_page(client):
    product = Product.objects.get(gtin=SAMPLE_GTIN)
    response = client.get(PRODUCT_URI)
    assert response.status_code == 307
    assert response["Location"] == f"http://testserver/san-pham/{product.slug}/"
    assert client.get(response["Location"]).status_code == 200  # scan → buy
    tagged = client.get(f"{PRODUCT_URI}?utm_source=qr&17=261231")
    assert tagged["Location"] == f"{response['Location']}?utm_source=qr&17=261231"
    assert f'<http://testserver{PRODUCT_URI}?linkType=linkset>; rel="linkset"' in response["Link"]
    # GTIN-13 in the path is its GTIN-14; a trailing slash changes nothing.
    for variant in (f"/01/{SAMPLE_GTIN}", f"{PRODUCT_URI}/"):
        again = client.get(variant)
        assert (again.status_code, again["Location"]) == (307, response["Location"])


def test_unknown_gtin_is_404_and_a_bad_check_digit_400(client):
    body = "0893000000000"
    unknown = body + str(gtin_rules.check_digit(body))
    assert client.get(f"/01/{unknown}").status_code == 404
    other_indicator = "1" + GTIN14[1:-1]
    other_indicator += str(gtin_rules.check_digit(other_indicator))
    assert client.get(f"/01/{other_indicator}").status_code == 404  # indicator 1: not ours
    assert client.get("/01/08933810630019").status_code == 400


def test_a_hidden_product_answers_with_its_producers_page(client):
    product = Product.objects.get(gtin=SAMPLE_GTIN)
    Product.objects.filter(pk=product.pk).update(status=ProductStatus.HIDDEN)
    response = client.get(PRODUCT_URI)
    assert response.status_code == 307
    assert response["Location"] == f"http://testserver/nha-san-xuat/{product.producer.slug}/"


def test_unknown_lot_walks_up_with_a_plain_warning_naming_the_lot(client):
    product = Product.objects.get(gtin=SAMPLE_GTIN)
    response = client.get(f"{PRODUCT_URI}/10/NOPE42")
    assert response.status_code == 404  # not 200: an unknown lot is not a success
    html = response.content.decode()
    assert "Lô NOPE42 chưa được biết" in html
    assert product.name in html and f"/san-pham/{product.slug}/" in html
    assert "Báo nghi ngờ hàng giả" in html
    assert f"<http://testserver{PRODUCT_URI}/10/NOPE42?linkType=linkset>" in response["Link"]
    english = client.get(f"{PRODUCT_URI}/10/NOPE42?lang=en").content.decode()
    assert "Lot NOPE42 is not known" in english
    # Machines walk up too: the GTIN's links answer for the unknown lot.
    pip = client.get(f"{PRODUCT_URI}/10/NOPE42?linkType=gs1:pip")
    assert pip.status_code == 307 and pip["Location"].endswith(f"/san-pham/{product.slug}/")
    document = linkset_of(client.get(f"{PRODUCT_URI}/10/NOPE42?linkType=linkset"))
    assert [c["anchor"] for c in document["linkset"]] == [f"http://testserver{PRODUCT_URI}"]


# ---------------------------------------------------------------- linksets


def test_linkset_by_query_and_by_accept_header_with_every_link_type(client):
    by_query = linkset_of(client.get(f"{LOT_URI}?linkType=linkset"))
    by_accept = linkset_of(client.get(LOT_URI, HTTP_ACCEPT="application/linkset+json"))
    assert by_query == by_accept
    assert by_query["linkset"][0]["anchor"] == f"http://testserver{LOT_URI}"  # request URI
    lot, gtin = links(by_query, LOT_URI), links(by_query, PRODUCT_URI)
    offered = {key.removeprefix(VOC) for context in (lot, gtin) for key in context} - {"anchor"}
    assert offered == set(EVERY_TYPE)
    for context in (lot, gtin):
        assert context[VOC + "defaultLink"], "each level has a default link"
        for key, targets in context.items():
            if key == "anchor":
                continue
            for target in targets:
                assert target["title"] and target["href"].startswith("http")
        # The default carries no attribute that could make it not match a request.
        assert set(context[VOC + "defaultLink"][0]) == {"href", "title", "title*"}
    assert lot[VOC + "traceability"][0]["href"] == f"http://testserver{LOT_URI}"
    assert lot[VOC + "epcis"][0]["type"] == "application/ld+json"
    assert gtin[VOC + "pip"][0]["hreflang"] == ["vi", "en"]
    assert "OCOP" in gtin[VOC + "certificationInfo"][0]["title"]


def test_linkset_titles_follow_the_language_and_carry_both(client):
    english = linkset_of(client.get(f"{LOT_URI}?linkType=linkset&lang=en"))
    target = links(english, LOT_URI)[VOC + "traceability"][0]
    assert target["title"] == f"Traceability of lot {SAMPLE_LOT}"
    assert {t["language"]: t["value"] for t in target["title*"]} == {
        "vi": f"Truy xuất nguồn gốc lô {SAMPLE_LOT}",
        "en": f"Traceability of lot {SAMPLE_LOT}",
    }


def test_linkset_lists_the_producers_shops_on_other_platforms(client):
    product = Product.objects.get(gtin=SAMPLE_GTIN)
    owner = get_user_model().objects.create_user("+84905000111", password="x-Long-pass-1")
    Membership.objects.create(user=owner, producer=product.producer, role=MemberRole.OWNER)
    shop_links.add_shop_link(owner, product.sku, "shopee", "https://shopee.vn/mam-thai-123")
    document = linkset_of(client.get(f"{PRODUCT_URI}?linkType=linkset"))
    retailers = links(document, PRODUCT_URI)[VOC + "hasRetailers"]
    assert [r["href"] for r in retailers] == [
        f"http://testserver/san-pham/{product.slug}/",
        "https://shopee.vn/mam-thai-123",
    ]
    assert retailers[1]["title"] == "Mua trên Shopee"
    shop = client.get(f"{PRODUCT_URI}?linkType=gs1:hasRetailers")
    assert shop["Location"] == f"http://testserver/san-pham/{product.slug}/"


def test_recall_status_link_says_when_the_lot_is_recalled(client, fresh_batch):
    uri = f"{PRODUCT_URI}/10/{fresh_batch.lot}"
    before = links(linkset_of(client.get(f"{uri}?linkType=linkset")), uri)
    assert before[VOC + "recallStatus"][0]["title"] == "Lô TEST01 không bị thu hồi"
    record_event(
        fresh_batch,
        EventData(
            event_type="ObjectEvent",
            action="OBSERVE",
            biz_step="holding",
            disposition="recalled",
            event_time=timezone.now() - datetime.timedelta(minutes=1),
            actor="HTX Thủy sản An Phú",
            ward_code="30337",
            quantity=None,
            uom="",
            note="Thu hồi",
        ),
    )
    after = links(linkset_of(client.get(f"{uri}?linkType=linkset")), uri)
    assert after[VOC + "recallStatus"][0]["title"] == "Lô TEST01 đang bị THU HỒI"


def test_serial_level_only_for_genuine_serials(client):
    batch = find_batch(SERIALISED_GTIN, SERIALISED_LOT)
    serial = batch.unit_serials.first().serial
    base = f"/01/0{SERIALISED_GTIN}/10/{SERIALISED_LOT}"
    genuine = linkset_of(client.get(f"{base}/21/{serial}?linkType=linkset"))
    assert [c["anchor"].removeprefix("http://testserver") for c in genuine["linkset"]] == [
        f"{base}/21/{serial}",
        base,
        f"/01/0{SERIALISED_GTIN}",
    ]
    forged = linkset_of(client.get(f"{base}/21/FAKE000000?linkType=linkset"))
    assert forged["linkset"][0]["anchor"] == f"http://testserver{base}"


def test_linkset_costs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        linkset_of(client.get(f"{LOT_URI}?linkType=linkset"))


# ---------------------------------------------------------------- linkType redirects


@pytest.mark.parametrize("link_type", EVERY_TYPE)
def test_every_offered_link_type_redirects_307_passing_the_query_on(client, link_type):
    document = linkset_of(client.get(f"{LOT_URI}?linkType=linkset"))
    expected = next(
        c[VOC + link_type][0]["href"] for c in document["linkset"] if VOC + link_type in c
    )
    response = client.get(f"{LOT_URI}?foo=bar&linkType=gs1:{link_type}&foo=baz&x=%C3%A1")
    assert response.status_code == 307
    target, _, query = response["Location"].partition("?")
    assert target == expected
    assert query == "foo=bar&foo=baz&x=%C3%A1"  # everything but linkType, in order
    full_uri = client.get(f"{LOT_URI}?linkType={VOC}{link_type}")
    assert full_uri.status_code == 307 and full_uri["Location"] == expected


def test_traceability_link_is_one_redirect_from_the_page(client):
    response = client.get(f"{LOT_URI}?linkType=gs1:traceability", follow=True)
    assert [status for _, status in response.redirect_chain] == [307]
    assert response.status_code == 200 and "Hành trình của lô hàng" in response.content.decode()


def test_the_lot_uri_serves_the_trace_page_without_redirecting(client):
    response = client.get(LOT_URI)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert f'<http://testserver{LOT_URI}?linkType=linkset>; rel="linkset"' in response["Link"]


@pytest.mark.parametrize(
    "link_type", ["gs1:menu", "gs1:", "pip", "gs1:pip\r\nX: y", "x" * 5000, "gs1:../../pip"]
)
def test_an_unavailable_or_unknown_link_type_is_404(client, link_type):
    response = client.get(LOT_URI, {"linkType": link_type})
    assert response.status_code == 404
    assert "Location" not in response
    assert "X" not in response.headers or response["X"] != "y"
    assert 'rel="linkset"' in response["Link"]


def test_epcis_link_target_is_the_lots_json_ld(client):
    href = client.get(f"{LOT_URI}?linkType=gs1:epcis")["Location"]
    response = client.get(href)
    assert response.status_code == 200 and response["Content-Type"] == "application/ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    negotiated = client.get(LOT_URI, HTTP_ACCEPT="application/ld+json")
    assert json.loads(response.content)["epcisBody"] == json.loads(negotiated.content)["epcisBody"]
    assert client.get(f"/truy-xuat/epcis/{GTIN14}/NOPE.jsonld").status_code == 404


# ---------------------------------------------------------------- description, CORS, methods


def test_resolver_description_file(client):
    response = client.get("/.well-known/gs1resolver")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    description = json.loads(response.content)
    assert description["resolverRoot"] == "http://testserver"
    assert description["supportedPrimaryKeys"] == ["01"]
    assert description["supportedLinkType"] == [{"namespace": VOC, "prefix": "gs1:"}]
    assert description["linkTypeDefaultCanBeLinkset"] is False
    assert client.options("/.well-known/gs1resolver").status_code == 204
    assert client.post("/.well-known/gs1resolver").status_code == 405


@pytest.mark.parametrize("path", [PRODUCT_URI, LOT_URI, f"{PRODUCT_URI}/foo", "/01/123"])
def test_cors_on_every_resolver_answer_and_preflight(client, path):
    assert client.get(path)["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        path,
        HTTP_ORIGIN="https://scanner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="Accept",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "Accept" in preflight["Access-Control-Allow-Headers"]
    assert "Link" in preflight["Access-Control-Expose-Headers"].split(", ")


def test_head_answers_like_get_without_a_body_and_records_no_scan(client):
    scans_before = Scan.objects.count()
    head = client.head(LOT_URI)
    assert head.status_code == 200 and head.content == b"" and 'rel="linkset"' in head["Link"]
    assert int(head["Content-Length"]) > 1000  # the page's length, as GET would send it
    assert client.head(PRODUCT_URI).status_code == 307
    assert Scan.objects.count() == scans_before
    assert client.post(LOT_URI).status_code == 405
    assert client.put(PRODUCT_URI).status_code == 405


# ---------------------------------------------------------------- malformed and hostile paths


@pytest.mark.parametrize(
    "path",
    [
        f"{PRODUCT_URI}/foo",
        f"{LOT_URI}/foo",
        f"{LOT_URI}/21",
        f"{PRODUCT_URI}/99/X",
        f"{PRODUCT_URI}/21/S1/10/L1",  # qualifiers out of order
        f"{PRODUCT_URI}/10/L1/10/L2",
        f"{PRODUCT_URI}//10/L1",
        f"{LOT_URI}//",
        "/01/",
        "/01/abc",
        f"{PRODUCT_URI}/10/" + "A" * 21,  # AI 10 is at most 20 characters
        f"{PRODUCT_URI}/10/" + "A" * 5000,
        f"{PRODUCT_URI}/10/L%C3%94",  # "LÔ": not GS1 CSET 82
        f"{PRODUCT_URI}/10/L%20A",
        f"{PRODUCT_URI}/10/L%0D%0ASet-Cookie:%20x=1",
        f"{PRODUCT_URI}/10/L%00",
        f"{PRODUCT_URI}/10/L%2FB",  # an encoded slash arrives decoded: an extra segment
        f"{PRODUCT_URI}/10/L1/21/%E2%80%AE",
    ],
)
def test_malformed_paths_are_400_with_no_header_injection(client, path):
    response = client.get(path)
    assert response.status_code == 400, path
    assert "Set-Cookie" not in response.headers
    assert "Location" not in response
    assert response["Access-Control-Allow-Origin"] == "*"


def test_percent_encoded_gs1_punctuation_resolves_and_stays_encoded_in_headers(client):
    # CSET 82 allows " % & < > … in lot codes; a URI carries them percent-encoded.
    response = client.get(f"{PRODUCT_URI}/10/%22%3C%3E%25%26")
    assert response.status_code == 404  # a well-formed but unknown lot: the walk-up page
    assert (
        f"<http://testserver{PRODUCT_URI}/10/%22%3C%3E%25%26?linkType=linkset>"
        in (response["Link"])
    )
    assert "&lt;&gt;" in response.content.decode()  # named on the page, escaped
    odd = client.get(f"{PRODUCT_URI}/10/%ZZ%C3%28")  # broken escapes stay literal text
    assert odd.status_code in (400, 404)

import pytest
from django.contrib.auth import get_user_model

from producers.models import Membership, Producer
from tests.traceability.conftest import SAMPLE_GTIN, SAMPLE_LOT, tamper
from traceability.models import Batch, Event

pytestmark = pytest.mark.django_db

TRACE = """query($gtin: String!, $lot: String!) {
  traceBatch(gtin: $gtin, lot: $lot) {
    gtin lot product { sku name }
    events { eventId eventType bizStep disposition eventTime note }
    chainValid
  }
}"""

CREATE = """mutation($input: BatchCreateInput!) {
  batchCreate(input: $input) { batch { gtin lot units chainValid } errors { field code message } }
}"""

RECORD = """mutation($input: TraceEventInput!) {
  traceEventRecord(input: $input) {
    event { eventId seq bizStep actor actorIsInspector eventTime quantity uom }
    errors { field code message }
  }
}"""


def _event_input(**overrides):
    values = {
        "gtin": SAMPLE_GTIN,
        "lot": SAMPLE_LOT,
        "eventType": "ObjectEvent",
        "action": "OBSERVE",
        "bizStep": "receiving",
        "disposition": "sellable_accessible",
        "eventTime": "2026-11-26T16:00:00+07:00",
        "quantity": "20",
        "uom": "EA",
        "note": "Siêu thị nhận hàng",
    }
    values.update(overrides)
    return values


def _user(username, *, producer=None, staff=False):
    user = get_user_model().objects.create_user(username, password="x-Strong-pass-1")
    user.is_staff = staff
    user.save()
    if producer is not None:
        Membership.objects.create(user=user, producer=producer, role="owner")
    return user


@pytest.fixture
def owner(db):
    return _user("owner", producer=Producer.objects.get(products__gtin=SAMPLE_GTIN))


@pytest.fixture
def other_producer(db):
    return _user("other", producer=Producer.objects.exclude(products__gtin=SAMPLE_GTIN).first())


def test_trace_batch_matches_the_contract(graphql, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        data = graphql(TRACE, {"gtin": SAMPLE_GTIN, "lot": SAMPLE_LOT})["data"]["traceBatch"]
    assert data["gtin"] == SAMPLE_GTIN and data["lot"] == SAMPLE_LOT
    assert data["product"]["sku"] == "AG0001-01"
    assert data["chainValid"] is True
    steps = [e["bizStep"] for e in data["events"]]
    assert steps == [
        "commissioning",
        "urn:ocop:bizstep:processing",
        "inspecting",
        "packing",
        "shipping",
    ]
    first = data["events"][0]
    assert first["eventId"].startswith("ni:///sha-256;") and first["eventId"].endswith(
        "?ver=CBV2.0"
    )
    assert first["eventType"] == "ObjectEvent" and first["disposition"] == "active"
    assert first["eventTime"] == "2026-06-20T06:30:00+07:00"
    assert first["note"] == "Thu mua nguyên liệu cá/thịt tươi"


def test_trace_batch_accepts_gtin14_and_rejects_bad_check_digits(graphql):
    data = graphql(TRACE, {"gtin": "0" + SAMPLE_GTIN, "lot": SAMPLE_LOT})["data"]
    assert data["traceBatch"]["lot"] == SAMPLE_LOT
    assert graphql(TRACE, {"gtin": SAMPLE_GTIN, "lot": "NOPE"})["data"]["traceBatch"] is None
    private = graphql(
        "query($g: String!, $l: String!) {"
        " traceBatch(gtin: $g, lot: $l) { labelSheetUrl flags { rule } } }",
        {"g": SAMPLE_GTIN, "l": SAMPLE_LOT},
    )["data"]["traceBatch"]
    assert private == {"labelSheetUrl": None, "flags": None}  # anonymous: not theirs
    bad = graphql(TRACE, {"gtin": "8933810630011", "lot": SAMPLE_LOT})
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_GTIN"


def test_trace_batch_shows_a_tampered_chain(graphql, sample_batch):

    with tamper() as cursor:
        cursor.execute(
            "UPDATE traceability_event SET disposition = 'conformant' "
            "WHERE batch_id = %s AND seq = 5",
            [sample_batch.pk],
        )
    data = graphql(TRACE, {"gtin": SAMPLE_GTIN, "lot": SAMPLE_LOT})["data"]["traceBatch"]
    assert data["chainValid"] is False


def _login(client, user):
    if user is not None:
        client.force_login(user)


@pytest.mark.parametrize(
    ("who", "code"),
    [("anonymous", "UNAUTHENTICATED"), ("shopper", "NOT_FOUND"), ("other", "NOT_FOUND")],
)
def test_outsiders_cannot_record_events_or_learn_about_lots(
    client, graphql, owner, other_producer, who, code
):
    user = {"anonymous": None, "shopper": _user("shopper"), "other": other_producer}[who]
    _login(client, user)
    before = Event.objects.count()
    for lot in (SAMPLE_LOT, "DOES-NOT-EXIST"):  # same answer whether or not the lot exists
        result = graphql(RECORD, {"input": _event_input(lot=lot)})["data"]["traceEventRecord"]
        assert result["event"] is None
        assert [e["code"] for e in result["errors"]] == [code]
        assert SAMPLE_LOT not in result["errors"][0]["message"]
    created = graphql(
        CREATE,
        {"input": {"sku": "AG0001-01", "lot": "NEW1", "packedOn": "2026-11-20", "units": 5}},
    )["data"]["batchCreate"]
    assert created["batch"] is None and created["errors"][0]["code"] == code
    assert Event.objects.count() == before
    assert not Batch.objects.filter(lot="NEW1").exists()


def test_owner_records_events_in_their_producers_name(client, graphql, owner):
    _login(client, owner)
    result = graphql(RECORD, {"input": _event_input()})["data"]["traceEventRecord"]
    assert result["errors"] == []
    event = result["event"]
    assert event["seq"] == 6 and event["bizStep"] == "receiving"
    assert event["actor"] == "HTX Thủy sản An Phú" and event["actorIsInspector"] is False
    assert event["eventTime"] == "2026-11-26T16:00:00+07:00"
    assert event["quantity"] == 20 and event["uom"] == "EA"
    claimed = graphql(RECORD, {"input": _event_input(inspector="Viện Kiểm nghiệm")})
    assert claimed["data"]["traceEventRecord"]["errors"][0]["code"] == "FORBIDDEN"
    trace = graphql(TRACE, {"gtin": SAMPLE_GTIN, "lot": SAMPLE_LOT})["data"]["traceBatch"]
    assert trace["chainValid"] and len(trace["events"]) == 6


def test_owner_gets_field_errors(client, graphql, owner):
    _login(client, owner)
    result = graphql(
        RECORD, {"input": _event_input(eventTime="2026-01-01T08:00:00+07:00", bizStep="x")}
    )["data"]["traceEventRecord"]
    assert {(e["field"], e["code"]) for e in result["errors"]} == {("bizStep", "INVALID_BIZ_STEP")}
    result = graphql(RECORD, {"input": _event_input(eventTime="2026-01-01T08:00:00+07:00")})
    errors = result["data"]["traceEventRecord"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("eventTime", "EVENT_BEFORE_PREVIOUS")]
    result = graphql(RECORD, {"input": _event_input(eventTime="2099-01-01T08:00:00+07:00")})
    assert result["data"]["traceEventRecord"]["errors"][0]["code"] == "EVENT_IN_FUTURE"


def test_owner_creates_a_lot(client, graphql, owner):
    _login(client, owner)
    data = {"sku": "AG0001-01", "lot": "L261120Z", "packedOn": "2026-11-20", "units": 50}
    result = graphql(CREATE, {"input": data})["data"]["batchCreate"]
    assert result["errors"] == []
    batch = Batch.objects.get(lot="L261120Z")
    printed = graphql(
        'query($g: String!) { traceBatch(gtin: $g, lot: "L261120Z") { labelSheetUrl } }',
        {"g": SAMPLE_GTIN},
    )["data"]["traceBatch"]
    assert printed["labelSheetUrl"] == f"/truy-xuat/lo/{batch.pk}/nhan.pdf"
    assert client.get(printed["labelSheetUrl"])["Content-Type"] == "application/pdf"
    assert result["batch"] == {
        "gtin": SAMPLE_GTIN,
        "lot": "L261120Z",
        "units": 50,
        "chainValid": True,
    }
    clash = graphql(CREATE, {"input": {**data, "units": 60}})["data"]["batchCreate"]
    assert clash["errors"][0]["code"] == "LOT_EXISTS"


def test_staff_may_record_for_an_inspection_body_on_any_lot(client, graphql):
    _login(client, _user("staff", staff=True))
    result = graphql(
        RECORD,
        {
            "input": _event_input(
                action="OBSERVE",
                bizStep="inspecting",
                disposition="conformant",
                inspector="Chi cục Quản lý chất lượng An Giang",
                quantity=None,
                uom=None,
            )
        },
    )["data"]["traceEventRecord"]
    assert result["errors"] == []
    assert result["event"]["actorIsInspector"] is True
    assert result["event"]["actor"] == "Chi cục Quản lý chất lượng An Giang"


CORRECT = """mutation($id: String!, $reason: ErrorReason!, $corrected: TraceEventFieldsInput) {
  traceEventCorrect(eventId: $id, reason: $reason, corrected: $corrected) {
    declaration { eventId declaresErrorOnEventId errorReason }
    correction { eventId correctsEventId note actor }
    errors { field code message }
  }
}"""


def test_owner_corrects_an_event_and_the_chain_stays_valid(client, graphql, owner, other_producer):
    trace = graphql(TRACE, {"gtin": SAMPLE_GTIN, "lot": SAMPLE_LOT})["data"]["traceBatch"]
    wrong = trace["events"][-1]["eventId"]
    corrected = {
        "eventType": "ObjectEvent",
        "action": "OBSERVE",
        "bizStep": "shipping",
        "disposition": "in_transit",
        "eventTime": "2026-07-27T15:00:00+07:00",
        "note": "Xuất kho lúc 15 giờ",
    }
    variables = {"id": wrong, "reason": "INCORRECT_DATA", "corrected": corrected}
    _login(client, other_producer)
    denied = graphql(CORRECT, variables)["data"]["traceEventCorrect"]
    assert [e["code"] for e in denied["errors"]] == ["NOT_FOUND"]
    _login(client, owner)
    result = graphql(CORRECT, variables)["data"]["traceEventCorrect"]
    assert result["errors"] == []
    assert result["declaration"]["declaresErrorOnEventId"] == wrong
    assert result["correction"]["correctsEventId"] == wrong
    assert result["correction"]["actor"] == "HTX Thủy sản An Phú"
    after = graphql(TRACE, {"gtin": SAMPLE_GTIN, "lot": SAMPLE_LOT})["data"]["traceBatch"]
    assert after["chainValid"] and len(after["events"]) == 7
    again = graphql(CORRECT, variables)["data"]["traceEventCorrect"]
    assert again["errors"][0]["code"] == "ALREADY_CORRECTED"


def test_evidence_upload_through_the_api(client, owner):
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.traceability.conftest import png_bytes

    _login(client, owner)
    operations = {
        "query": RECORD,
        "variables": {"input": {**_event_input(), "attachments": [None, None]}},
    }
    response = client.post(
        "/graphql/",
        {
            "operations": json.dumps(operations),
            "map": json.dumps(
                {"0": ["variables.input.attachments.0"], "1": ["variables.input.attachments.1"]}
            ),
            "0": SimpleUploadedFile("anh.png", png_bytes(), content_type="image/png"),
            "1": SimpleUploadedFile("virus.pdf", b"MZ not a pdf", content_type="application/pdf"),
        },
    )
    errors = response.json()["data"]["traceEventRecord"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("attachments", "UNSUPPORTED_FILE")]
    assert Event.objects.filter(batch__lot=SAMPLE_LOT, biz_step="receiving").count() == 0
    operations["variables"]["input"]["attachments"] = [None]
    response = client.post(
        "/graphql/",
        {
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.attachments.0"]}),
            "0": SimpleUploadedFile("anh.png", png_bytes(), content_type="image/png"),
        },
    )
    assert response.json()["data"]["traceEventRecord"]["errors"] == []
    event = Event.objects.get(batch__lot=SAMPLE_LOT, biz_step="receiving")
    assert [a.content_type for a in event.attachments.all()] == ["image/png"]

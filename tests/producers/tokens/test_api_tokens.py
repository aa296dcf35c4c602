"""API tokens: stored hashed, made by the command and the owner's page, revoked, and
`Authorization: Bearer` as the one way a producer's system signs in (GraphQL and EPCIS)."""

import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from producers.portal.scope import SESSION_KEY
from producers.tokens import services
from producers.tokens.models import ApiToken
from tests.producers.portal.conftest import PASSWORD
from traceability.models import Batch

pytestmark = pytest.mark.django_db
PAGE = "/portal/ma-api/"
CREATE = """mutation($input: BatchCreateInput!) {
  batchCreate(input: $input) { batch { lot } errors { field code message } } }"""


def _bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _post_graphql(client, query, variables, **headers):
    return client.post(
        "/graphql/",
        {"query": query, "variables": variables},
        content_type="application/json",
        **headers,
    )


def test_command_prints_a_token_that_is_stored_only_as_its_hash(producer, capsys):
    call_command("create_api_token", producer.code, "--name", "Kế toán")
    secret = capsys.readouterr().out.strip()
    token = ApiToken.objects.get()
    assert secret.startswith(f"ocop_{token.prefix}_") and len(secret) > 40
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {f.value_from_object(token) for f in ApiToken._meta.fields}
    assert token.name == "Kế toán" and token.producer == producer
    with pytest.raises(CommandError):
        call_command("create_api_token", "NO-SUCH")


def test_bearer_token_writes_its_own_producers_lots_without_csrf(producer, other_producer):
    secret = services.create_token(producer, "ERP").secret
    client = Client(enforce_csrf_checks=True)
    own = producer.products.order_by("sku").first()
    other = other_producer.products.order_by("sku").first()
    data = {"lot": "API1", "packedOn": "2026-11-20", "units": 5}
    made = _post_graphql(client, CREATE, {"input": {**data, "sku": own.sku}}, **_bearer(secret))
    assert made.json()["data"]["batchCreate"]["errors"] == []
    assert Batch.objects.filter(product=own, lot="API1").exists()
    refused = _post_graphql(
        client, CREATE, {"input": {**data, "sku": other.sku}}, **_bearer(secret)
    ).json()["data"]["batchCreate"]
    assert refused["errors"][0]["code"] == "NOT_FOUND"
    assert not Batch.objects.filter(product=other, lot="API1").exists()
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("secret", ["nonsense", "ocop_deadbeef_x", ""])
def test_a_bad_token_is_401_never_anonymous(secret):
    response = _post_graphql(Client(), "{ __typename }", {}, **_bearer(secret))
    assert response.status_code == 401 and "WWW-Authenticate" in response


def test_a_revoked_token_stops_working(producer, owner):
    new = services.create_token(producer, "ERP", created_by=owner)
    assert _post_graphql(Client(), "{ __typename }", {}, **_bearer(new.secret)).status_code == 200
    services.revoke_token(owner, producer, new.token.pk)
    assert _post_graphql(Client(), "{ __typename }", {}, **_bearer(new.secret)).status_code == 401


def test_cookie_sessions_still_need_csrf(owner, producer):
    """Bearer skips CSRF; a browser session without the token is still demoted to anonymous."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    own = producer.products.order_by("sku").first()
    result = _post_graphql(
        client,
        CREATE,
        {"input": {"sku": own.sku, "lot": "CSRF1", "packedOn": "2026-11-20", "units": 5}},
    ).json()["data"]["batchCreate"]
    assert result["errors"][0]["code"] == "UNAUTHENTICATED"


# ---------------------------------------------------------------- the owner's page


def _client_for(who, users, producer):
    client = Client()
    user = users.get(who)
    if user is not None:
        client.force_login(user)
    if who == "staff":  # staff pick the producer they work on in the portal header
        session = client.session
        session[SESSION_KEY] = producer.code
        session.save()
    return client


@pytest.fixture
def users(owner, staff_member, other_owner, shopper, django_user_model):
    staff = django_user_model.objects.create_user("nv-so", password=PASSWORD, is_staff=True)
    return {
        "owner": owner,
        "staff_member": staff_member,
        "other_owner": other_owner,
        "shopper": shopper,
        "staff": staff,
    }


@pytest.mark.parametrize(
    "who, status, sees, revokes",
    [
        ("anonymous", 302, False, False),
        ("shopper", 403, False, False),
        ("staff_member", 403, False, False),
        ("other_owner", 200, False, False),  # its own producer's page, never this one's tokens
        ("owner", 200, True, True),
        ("staff", 200, True, True),
    ],
)
def test_token_page_matrix(users, producer, who, status, sees, revokes):
    token = services.create_token(producer, "Kho").token
    client = _client_for(who, users, producer)
    response = client.get(PAGE)
    assert response.status_code == status
    assert (token.prefix in response.content.decode()) is sees
    before = ApiToken.objects.count()
    client.post(PAGE, {"name": "thử"})
    assert ApiToken.objects.filter(producer=producer).count() == (2 if revokes else 1)
    answer = client.post(f"{PAGE}{token.pk}/thu-hoi/")
    token.refresh_from_db()
    assert (token.revoked_at is not None) is revokes
    if not revokes:
        assert answer.status_code in (302, 403, 404)
        assert ApiToken.objects.count() - before <= (1 if who == "other_owner" else 0)


def test_owner_creates_a_token_shown_once_then_lists_it_with_last_use(owner, producer):
    client = Client()
    client.force_login(owner)
    page = client.post(PAGE, {"name": "Phần mềm kế toán"})
    html = page.content.decode()
    token = ApiToken.objects.get(producer=producer)
    start = html.index("data-new-token")
    secret = html[
        html.rindex('value="', 0, start) + 7 : html.index('"', html.rindex('value="', 0, start) + 7)
    ]
    assert secret.startswith(f"ocop_{token.prefix}_") and token.created_by == owner
    listing = client.get(PAGE).content.decode()
    assert secret not in listing and "Chưa dùng" in listing
    _post_graphql(Client(), "{ __typename }", {}, **_bearer(secret))
    assert "Dùng lần cuối" in client.get(PAGE).content.decode()


def test_a_token_opens_only_the_api_never_the_portal(producer, owner):
    secret = services.create_token(producer, "ERP", created_by=owner).secret
    client = Client(enforce_csrf_checks=True)
    for path in (PAGE, "/portal/", "/portal/thanh-vien/"):
        assert client.get(path, **_bearer(secret)).status_code == 403
    assert client.post(PAGE, {"name": "x"}, **_bearer(secret)).status_code == 403
    assert ApiToken.objects.count() == 1

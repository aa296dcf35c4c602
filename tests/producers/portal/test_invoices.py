"""E-invoices in the portal and on the public lookup: the authorization matrix (anonymous,
shopper, member of another producer, staff member, owner, platform staff, trade office) for the
certificate upload, the settings, the list, the downloads, the actions and the lookup page."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from marketplace.access import office_group
from marketplace.invoices.models import Invoice, InvoiceProfile, InvoiceStatus
from tests.marketplace.invoices.helpers import (
    PASSWORD,
    delivered_sub,
    invoicing_producer,
    p12,
)

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "shopper", "stranger", "staff", "owner", "platform", "office"]


@pytest.fixture
def actors(shopper, other_owner, staff_member, owner):
    User = get_user_model()
    platform = User.objects.create_user(username="platform", password="x", is_staff=True)
    office = User.objects.create_user(username="office", password="x")
    office.groups.add(office_group())
    return {
        "anonymous": None,
        "shopper": shopper,
        "stranger": other_owner,
        "staff": staff_member,
        "owner": owner,
        "platform": platform,
        "office": office,
    }


@pytest.fixture
def invoice(product):
    invoicing_producer(product)
    return Invoice.objects.get(sub_order=delivered_sub(product))


def as_(client, actors, role):
    client.logout()
    if actors[role] is not None:
        client.force_login(actors[role])
    return client


# What each role gets: 302 sign-in page, 403 page, 404, or 200.
READ = {
    "anonymous": 302,
    "shopper": 403,
    "stranger": 404,
    "staff": 200,
    "owner": 200,
    "platform": 200,
    "office": 403,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["portal:invoice_pdf", "portal:invoice_xml"])
def test_downloads_are_for_the_producers_members_only(client, actors, invoice, role, name):
    response = as_(client, actors, role).get(reverse(name, args=[invoice.pk]))
    assert response.status_code == READ[role]
    if READ[role] == 200:
        body = response.content
        assert body.startswith(b"%PDF") if name.endswith("pdf") else b"<DLHDon" in body
        assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("role", ROLES)
def test_the_list_shows_only_ones_own_invoices(client, actors, invoice, role):
    response = as_(client, actors, role).get(reverse("portal:invoices"))
    expected = {**READ, "stranger": 200}[role]
    assert response.status_code == expected
    if expected == 200:
        shown = f'id="invoice-{invoice.pk}"' in response.content.decode()
        assert shown == (role != "stranger")


@pytest.mark.parametrize("role", ROLES)
def test_the_monthly_zip_holds_only_ones_own(client, actors, invoice, role):
    import io
    import zipfile

    response = as_(client, actors, role).get(reverse("portal:invoice_export"))
    expected = {**READ, "stranger": 200}[role]
    assert response.status_code == expected
    if expected == 200:
        names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
        assert "danh-sach.csv" in names
        assert any(n.endswith(f"_{invoice.number:08d}.xml") for n in names) == (role != "stranger")


SETTINGS = {"anonymous": 302, "shopper": 403, "stranger": 200, "staff": 403, "owner": 200}


@pytest.mark.parametrize("role", ["anonymous", "shopper", "stranger", "staff", "owner", "office"])
def test_only_the_owner_uploads_the_certificate(client, actors, producer, role):
    before = InvoiceProfile.objects.filter(producer=producer).count()
    response = as_(client, actors, role).post(
        reverse("portal:invoice_settings"),
        {
            "form": "certificate",
            "certificate": SimpleUploadedFile("ky-so.p12", p12()),
            "password": PASSWORD,
        },
    )
    expected = {**SETTINGS, "office": 403}[role]
    if role == "owner":
        assert response.status_code == 302
        profile = InvoiceProfile.objects.get(producer=producer)
        assert profile.has_certificate and profile.certificate_subject == "HTX Thử Nghiệm"
        page = client.get(reverse("portal:invoice_settings")).content.decode()
        # Shown back: holder and dates; never the file, its password or the key.
        assert "HTX Thử Nghiệm" in page and PASSWORD not in page and "PRIVATE" not in page
    elif role == "stranger":
        # Their own producer's page: ours is untouched.
        assert response.status_code == 302
        assert InvoiceProfile.objects.filter(producer=producer).count() == before
    else:
        assert response.status_code == expected
        assert InvoiceProfile.objects.filter(producer=producer).count() == before


@pytest.mark.parametrize(
    ("data", "password", "message"),
    [
        (b"not a certificate at all", PASSWORD, "không phải chứng thư số PKCS#12"),
        (None, "sai-mat-khau", "Mật khẩu của tệp chứng thư số không đúng"),
        ("expired", PASSWORD, "đã hết hạn"),
    ],
)
def test_a_bad_certificate_file_says_why_on_the_form(
    client, owner, producer, data, password, message
):
    if data is None:
        data = p12()
    elif data == "expired":
        data = p12(starts_in_days=-400)
    client.force_login(owner)
    response = client.post(
        reverse("portal:invoice_settings"),
        {
            "form": "certificate",
            "certificate": SimpleUploadedFile("a.p12", data),
            "password": password,
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not InvoiceProfile.objects.filter(producer=producer, sealed_key__isnull=False).exists()


def test_turning_invoices_on_without_a_tax_code_is_refused_on_the_form(client, owner, producer):
    producer.tax_code = ""
    producer.save(update_fields=["tax_code"])
    client.force_login(owner)
    response = client.post(
        reverse("portal:invoice_settings"),
        {
            "form": "settings",
            "issues_invoices": "on",
            "template": "1",
            "symbol": "C26TAA",
            "vat_rate": "8%",
        },
    )
    assert response.status_code == 400
    assert "Cần mã số thuế" in response.content.decode()
    assert not InvoiceProfile.objects.filter(producer=producer).exists()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["portal:invoice_cancel", "portal:invoice_replace"])
def test_only_the_owner_cancels_or_replaces(client, actors, invoice, role, action):
    as_(client, actors, role).post(reverse(action, args=[invoice.pk]), {"reason": "Khách trả hàng"})
    invoice.refresh_from_db()
    allowed = role in ("owner", "platform")
    assert (invoice.status != InvoiceStatus.ISSUED) == allowed
    assert Invoice.objects.filter(replaces=invoice).exists() == (
        allowed and action.endswith("replace")
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_lookup_page_answers_anyone_with_the_code(client, actors, invoice, role):
    as_(client, actors, role)
    response = client.post(reverse("invoices:lookup"), {"code": invoice.grouped_code.lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse("invoices:detail", args=[invoice.lookup_code])
    page = client.get(response["Location"]).content.decode()
    assert invoice.symbol in page and "Chữ ký số hợp lệ" in page
    assert client.get(reverse("invoices:pdf", args=[invoice.lookup_code])).content[:4] == b"%PDF"
    xml = client.get(reverse("invoices:xml", args=[invoice.lookup_code])).content
    assert xml == bytes(invoice.signed_xml)


def test_a_wrong_code_finds_nothing(client, invoice):
    wrong = "A" * 12 if invoice.lookup_code != "A" * 12 else "B" * 12
    response = client.post(reverse("invoices:lookup"), {"code": wrong})
    assert response.status_code == 200 and "Không có hóa đơn nào" in response.content.decode()
    assert client.get(reverse("invoices:detail", args=[wrong])).status_code == 404
    assert client.get(reverse("invoices:pdf", args=[wrong])).status_code == 404


def test_every_lookup_counts_against_the_limit(client, invoice, settings, monkeypatch):
    from config import ratelimit

    settings.RATE_LIMITS_ENABLED = True
    cache.clear()
    monkeypatch.setitem(ratelimit.LIMITS, "invoice-lookup", ratelimit.Limit(3, 300))
    statuses = [
        client.post(reverse("invoices:lookup"), {"code": "ZZZZZZZZZZZZ"}).status_code,
        client.get(reverse("invoices:detail", args=["ZZZZZZZZZZZZ"])).status_code,
        client.get(reverse("invoices:pdf", args=["ZZZZZZZZZZZZ"])).status_code,
        # The right code now: refused all the same, the budget is spent.
        client.get(reverse("invoices:detail", args=[invoice.lookup_code])).status_code,
    ]
    cache.clear()
    assert statuses == [200, 404, 404, 429]


def test_the_buyers_order_page_shows_the_lookup_code(client, invoice):
    from marketplace.checkout import access

    order = invoice.sub_order.order
    session = client.session
    session[access.ORDERS_SESSION_KEY] = [order.number]  # the browser that placed it
    session.save()
    page = client.get(reverse("checkout:order", args=[order.number])).content.decode()
    assert invoice.grouped_code in page
    assert reverse("invoices:detail", args=[invoice.lookup_code]) in page


def test_the_list_costs_the_same_queries_for_one_invoice_or_four(client, owner, product):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    invoicing_producer(product)
    delivered_sub(product)
    client.force_login(owner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("portal:invoices")).status_code == 200
        return len(captured)

    one = queries()
    for _ in range(3):
        delivered_sub(product)
    assert queries() == one

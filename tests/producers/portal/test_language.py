"""The portal, sign-in and office pages speak English too, and a user's choice is remembered with
their account: applied at sign-in and on every page, on any device, after signing out and in."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from config import ratelimit
from marketplace.catalog.models import Product
from marketplace.language.models import LanguagePreference
from tests.producers.portal.conftest import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/portal/dang-nhap/"


def _sign_in(client, user, **headers):
    response = client.post(
        LOGIN, {"username": user.username, "password": PASSWORD}, headers=headers
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def _switch(client, language, next_url="/portal/"):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url})


def test_sign_in_page_follows_accept_language_and_has_a_switch(client):
    html = client.get(LOGIN, headers={"accept-language": "en-GB,en;q=0.8"}).content.decode()
    assert '<html lang="en">' in html and "Shop sign-in" in html and "Forgot your password?" in html
    assert "Đăng nhập gian hàng" not in html
    # The switch is a plain form (no script): it offers the other language.
    assert 'action="/i18n/setlang/"' in html and 'name="language" value="vi"' in html
    html = client.get(LOGIN).content.decode()
    assert '<html lang="vi">' in html and "Đăng nhập gian hàng" in html
    assert 'name="language" value="en"' in html


def test_a_signed_in_users_choice_is_stored_and_wins_over_the_browser(client, owner):
    _sign_in(client, owner)
    response = _switch(client, "en")
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert LanguagePreference.objects.get(user=owner).language == "en"
    # Without the cookie and with a Vietnamese browser, the account's choice still rules.
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    response = client.get("/portal/", headers={"accept-language": "vi"})
    html = response.content.decode()
    assert '<html lang="en">' in html and "Sign out" in html and "Đăng xuất" not in html
    assert response["Content-Language"] == "en"
    # ... and the cookie is put back in step, so the choice outlives signing out.
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_choice_survives_signing_out_and_in_on_another_device(client, owner):
    _sign_in(client, owner)
    _switch(client, "en")
    client.post(reverse("portal:logout"))
    other_device = Client()  # no cookie at all, a Vietnamese browser
    _sign_in(other_device, owner, accept_language="vi")
    html = other_device.get("/portal/", headers={"accept-language": "vi"}).content.decode()
    assert '<html lang="en">' in html and "Orders" in html
    # Switching back is remembered the same way.
    _switch(other_device, "vi")
    assert LanguagePreference.objects.get(user=owner).language == "vi"
    third = Client()
    third.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _sign_in(third, owner)
    assert '<html lang="vi">' in third.get("/portal/").content.decode()


def test_a_choice_made_before_signing_in_is_kept_for_the_account(client, owner):
    _switch(client, "en", next_url=LOGIN)
    assert not LanguagePreference.objects.filter(user=owner).exists()  # nobody signed in yet
    _sign_in(client, owner)
    assert LanguagePreference.objects.get(user=owner).language == "en"


def test_without_any_choice_nothing_is_stored_and_vietnamese_is_the_default(client, owner):
    _sign_in(client, owner)
    assert not LanguagePreference.objects.filter(user=owner).exists()
    assert '<html lang="vi">' in client.get("/portal/").content.decode()


@pytest.mark.parametrize("bad", ["fr", "", "en'><script>", "x" * 300])
def test_an_unknown_language_changes_nothing(client, owner, bad):
    _sign_in(client, owner)
    response = _switch(client, bad)
    assert response.status_code == 302
    assert not LanguagePreference.objects.filter(user=owner).exists()
    assert '<html lang="vi">' in client.get("/portal/").content.decode()


def test_the_switch_refuses_a_foreign_next_and_get(client):
    response = _switch(client, "en", next_url="https://evil.example/")
    assert response.status_code == 302 and not response["Location"].startswith("https://evil")
    assert client.get("/i18n/setlang/").status_code == 405


def test_the_switch_counts_against_its_own_limit(client, settings):
    settings.RATE_LIMITS_ENABLED = True
    from django.core.cache import cache

    cache.clear()
    limit = ratelimit.LIMITS["language"].limit
    codes = [_switch(client, "en").status_code for _ in range(limit + 1)]
    assert codes[:limit] == [302] * limit and codes[-1] == 429
    cache.clear()


def test_office_pages_follow_the_stored_choice(client, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("+84977000111", password=PASSWORD)
    user.groups.add(Group.objects.get(name="trade_office"))
    response = client.post("/office/dang-nhap/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    _switch(client, "en", next_url="/office/")
    html = client.get("/office/").content.decode()
    assert '<html lang="en">' in html and "OCOP products sold online" in html
    assert "Sản phẩm OCOP bán trực tuyến" not in html


def test_the_dashboard_button_to_the_orders_list_reads_orders(client, owner):
    _sign_in(client, owner)
    _switch(client, "en")
    html = client.get("/portal/").content.decode()
    assert f'<a class="btn light" href="{reverse("portal:orders")}">Orders</a>' in html
    assert "<h1>Orders</h1>" in client.get(reverse("portal:orders")).content.decode()
    # One order keeps its singular (the checkout's summary of the order being placed).
    with translation.override("en"):
        assert gettext("Đơn hàng") == "Order"


def test_a_refused_listing_is_explained_in_english_on_its_fields(client, owner, producer):
    _sign_in(client, owner)
    _switch(client, "en")
    before = Product.objects.count()
    data = {"producer": producer.code, "name": "Mắm cá linh", "product_set": "1.8", "unit": "hũ"}
    response = client.post("/portal/san-pham/moi/", {**data, "price": "abc", "stock": "-5"})
    html = response.content.decode()
    assert response.status_code == 200 and Product.objects.count() == before
    assert "The stock quantity must not be negative." in html
    assert "Could not read the price &#x27;abc&#x27;." in html
    assert "Số lượng tồn kho" not in html and "Không hiểu giá" not in html

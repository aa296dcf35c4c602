"""English, end to end, on a 360 × 740 phone: the producer portal (sign-in, dashboard, orders,
listings, a new listing, lots, a lot's journal, members, shop links) shows no Vietnamese UI
string (the rule is in tests/e2e/english.py), a producer's choice of English outlives
signing out and signing in on another device, and a refused form explains itself in English."""

import pytest
from django.contrib.auth import get_user_model

from marketplace.catalog.models import Product
from marketplace.language.models import LanguagePreference
from producers.models import MemberRole, Membership, Producer
from tests.e2e.conftest import ARTIFACTS, PHONE
from tests.e2e.english import data_texts, english_only
from tests.e2e.widths import assert_header_reads
from traceability.models import Batch

pytestmark = pytest.mark.e2e

PHONE_NUMBER = "+84905334455"
PASSWORD = "Khô-Cá-Lóc-Phú-Tân-2025"
NAME = "Mắm cá linh mùa nước nổi"


@pytest.fixture
def owner(transactional_db):
    producer = Producer.objects.get(code="AG0001")
    user = get_user_model().objects.create_user(PHONE_NUMBER, password=PASSWORD)
    Membership.objects.create(user=user, producer=producer, role=MemberRole.OWNER)
    yield user
    user.delete()


def _sign_in(page, url, labels):
    page.goto(url + "/portal/dang-nhap/")
    page.get_by_label(labels[0]).fill("0905 334 455")
    page.get_by_label(labels[1], exact=True).fill(PASSWORD)
    page.get_by_role("button", name=labels[2]).click()
    page.wait_for_url(url + "/portal/")


def test_the_portal_in_english_and_the_choice_outlives_signing_out(
    live_server, owner, browser, phone, screenshot
):
    url, page = live_server.url, phone  # a Vietnamese phone (vi-VN)
    data = data_texts(PHONE_NUMBER)
    page.goto(url + "/portal/dang-nhap/")
    page.get_by_role("button", name="English").click()  # the header's switch, a plain form
    page.get_by_role("heading", name="Shop sign-in").wait_for()
    english_only(page, data, screenshot, "1-sign-in")
    _sign_in(page, url, ("Phone number or email", "Password", "Sign in"))
    assert LanguagePreference.objects.get(user=owner).language == "en"
    english_only(page, data, screenshot, "2-dashboard")
    assert_header_reads(page)

    lot = Batch.objects.filter(product__producer__code="AG0001").order_by("pk").first()
    for path, name in [
        ("/portal/don-hang/", "3-orders"),
        ("/portal/san-pham/", "4-listings"),
        ("/portal/san-pham/moi/", "5-new-listing"),
        ("/portal/lo/", "6-lots"),
        (f"/portal/lo/{lot.pk}/", "7-lot-journal"),
        ("/portal/thanh-vien/", "8-members"),
        ("/portal/gian-hang-khac/", "9-shop-links"),
    ]:
        page.goto(url + path)
        english_only(page, data, screenshot, name)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(url + "/portal/dang-nhap/")
    # Another phone, Vietnamese, never used here: sign in, and the account's English is back.
    other = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
    try:
        second = other.new_page()
        _sign_in(second, url, ("Số điện thoại hoặc email", "Mật khẩu", "Đăng nhập"))
        assert second.evaluate("document.documentElement.lang") == "en"
        # The header's link and the dashboard's button both read "Orders" now.
        second.get_by_role("link", name="Orders", exact=True).first.wait_for()
        shot = "test_the_portal_in_english_and_the_choice_outlives_signing_out-10-again.png"
        second.screenshot(path=str(ARTIFACTS / shot), full_page=True)
    finally:
        other.close()


def test_a_refused_listing_explains_itself_in_english(live_server, owner, phone, screenshot):
    """An English-speaking producer types a negative stock and a price that is no number: the
    page comes back with the service's refusals in English on their fields, nothing saved and
    nothing typed lost."""
    url, page = live_server.url, phone
    LanguagePreference.objects.create(user=owner, language="en")  # chosen on another device
    data = data_texts(PHONE_NUMBER, NAME)
    listings = Product.objects.count()
    _sign_in(page, url, ("Số điện thoại hoặc email", "Mật khẩu", "Đăng nhập"))
    page.goto(url + "/portal/san-pham/moi/")
    page.get_by_label("Product name").fill(NAME)
    page.get_by_label("OCOP product set").select_option("1.8")
    page.get_by_label("Selling unit").fill("500 g jar")
    page.get_by_label("Price (đồng)").fill("abc")
    page.get_by_label("Stock").fill("-5")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The stock quantity must not be negative.").wait_for()
    page.get_by_text("Could not read the price 'abc'.", exact=False).wait_for()
    english_only(page, data, screenshot, "1-refused")
    assert page.url == url + "/portal/san-pham/moi/"
    assert page.get_by_label("Product name").input_value() == NAME
    assert Product.objects.count() == listings

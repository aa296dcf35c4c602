"""Issue 13 item 1 in Chromium at 360 × 740: the trade office invites a registered producer's
first owner by phone from its call list; the owner sets a password from the SMS link and is in
the portal. No office or portal page on the way scrolls sideways."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model

from marketplace.access import office_group
from marketplace.coverage.models import RegisterEntry
from producers.models import Producer
from tests.e2e.widths import assert_fits

pytestmark = pytest.mark.e2e

OFFICE_PHONE = "+84906000111"
OWNER_PHONE = "0905 778 899"
PASSWORD = "So-Cong-Thuong-2025"
OWNER_PASSWORD = "Gao-Nang-Hoa-9-2025"


@pytest.fixture
def office_and_register(transactional_db):
    """A committed office user and one register row for AG0002; removed afterwards."""
    producer = Producer.objects.get(code="AG0002")
    office = get_user_model().objects.create_user(OFFICE_PHONE, password=PASSWORD)
    office.groups.add(office_group())
    entry = RegisterEntry.objects.create(
        product_name="Mắm thái đu đủ",
        producer_name=producer.name,
        ward_input=producer.ward.name,
        ward=producer.ward,
        product_set_id="1.8",
        stars=3,
        issued_on=datetime.date(2024, 4, 4),
        expires_on=datetime.date(2027, 4, 4),
        name_key="mam thai du du e2e",
        producer_key="e2e",
        natural_key="e2e-onboarding",
        producer=producer,
    )
    yield producer
    entry.delete()
    get_user_model().objects.filter(username__in=[OFFICE_PHONE, "+84905778899"]).delete()


def test_office_invites_the_first_owner_who_sets_a_password(
    live_server, office_and_register, phone, screenshot, sms_outbox
):
    page, code = phone, office_and_register.code
    page.goto(live_server.url + "/office/chu-the/")
    page.locator("input[name=username]").fill(OFFICE_PHONE)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(live_server.url + "/office/chu-the/")
    assert_fits(page)
    screenshot("1-call-list")

    card = page.locator(f"#p-{code}")
    card.get_by_label("Số điện thoại chủ tài khoản").fill(OWNER_PHONE)
    card.get_by_role("button", name="Mời").click()
    page.get_by_text("đã tạo tài khoản và gửi đường dẫn đặt mật khẩu").wait_for()
    assert "kich-hoat" not in page.content()  # the office never sees the link
    assert_fits(page)
    screenshot("2-invited")
    page.goto(live_server.url + "/office/")
    assert_fits(page)

    [sms] = sms_outbox
    link = re.search(r"(/portal/kich-hoat/\S+/)", sms.text).group(1)
    owner = page.context.browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN"
    ).new_page()
    owner.goto(live_server.url + link)
    assert_fits(owner)
    owner.get_by_label("Mật khẩu mới", exact=True).fill(OWNER_PASSWORD)
    owner.get_by_label("Nhập lại mật khẩu mới").fill(OWNER_PASSWORD)
    owner.get_by_role("button", name="Đặt mật khẩu").click()
    owner.wait_for_url(live_server.url + "/portal/")
    assert_fits(owner)
    assert get_user_model().objects.get(username="+84905778899").check_password(OWNER_PASSWORD)
    owner.goto(live_server.url + link)  # single use
    assert "đã hết hạn hoặc đã được dùng" in owner.content()
    owner.context.close()

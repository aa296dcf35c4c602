"""A producer's own shops on other platforms, managed from the portal (coverage.shop_links)."""

import pytest

from marketplace.coverage.models import ExternalListing

pytestmark = pytest.mark.django_db

PAGE = "/portal/gian-hang-khac/"


def _add(client, product, url, platform="shopee"):
    return client.post(PAGE, {"product": product.sku, "platform": platform, "url": url})


def test_owner_adds_lists_and_removes_a_shop_link(client, owner, product):
    client.force_login(owner)
    assert "Chưa có đường dẫn nào." in client.get(PAGE).content.decode()
    response = _add(client, product, "https://www.lazada.vn/products/mam-thai-i123", "lazada")
    assert response.status_code == 302
    link = ExternalListing.objects.get(url="https://www.lazada.vn/products/mam-thai-i123")
    assert (link.producer, link.platform, link.product_name) == (
        product.producer,
        "lazada",
        product.name,
    )
    page = client.get(PAGE).content.decode()
    assert "Lazada" in page and link.url in page
    assert f'action="/portal/gian-hang-khac/{link.pk}/xoa/"' in page

    assert client.post(f"/portal/gian-hang-khac/{link.pk}/xoa/").status_code == 302
    assert not ExternalListing.objects.filter(pk=link.pk).exists()


def test_staff_member_manages_the_producers_links(client, staff_member, shop_link):
    client.force_login(staff_member)
    assert shop_link.url in client.get(PAGE).content.decode()
    client.post(f"/portal/gian-hang-khac/{shop_link.pk}/xoa/")
    assert not ExternalListing.objects.filter(pk=shop_link.pk).exists()


def test_a_url_without_scheme_is_taken_as_https(client, owner, product):
    client.force_login(owner)
    assert _add(client, product, "shopee.vn/htx-an-phu").status_code == 302
    assert ExternalListing.objects.filter(url="https://shopee.vn/htx-an-phu").exists()


@pytest.mark.parametrize(
    "url, platform, message",
    [
        ("http://shopee.vn/htx-an-phu", "shopee", "https://"),
        ("không phải đường dẫn", "shopee", 'name="url"'),
        ("https://shopee.vn/htx-an-phu", "facebook", "Hãy chọn một sàn trong danh sách."),
    ],
)
def test_bad_links_are_refused_clearly(client, owner, product, url, platform, message):
    client.force_login(owner)
    response = _add(client, product, url, platform)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and 'class="errorlist' in body
    assert not ExternalListing.objects.filter(producer=product.producer).exists()


def test_a_url_recorded_for_another_producer_is_refused(
    client, owner, other_owner, product, other_product
):
    client.force_login(other_owner)
    _add(client, other_product, "https://shopee.vn/shop-chung")
    client.force_login(owner)
    response = _add(client, product, "https://shopee.vn/shop-chung")
    assert "đã được ghi cho chủ thể khác" in response.content.decode()
    assert ExternalListing.objects.get(url="https://shopee.vn/shop-chung").producer_id == (
        other_product.producer_id
    )


def test_other_producers_links_stay_invisible_and_untouchable(client, other_owner, shop_link):
    client.force_login(other_owner)
    page = client.get(PAGE).content.decode()
    assert shop_link.url not in page and "Chưa có đường dẫn nào." in page
    assert client.post(f"/portal/gian-hang-khac/{shop_link.pk}/xoa/").status_code == 404
    assert ExternalListing.objects.filter(pk=shop_link.pk).exists()


def test_the_list_costs_the_same_queries_for_many_links(
    client, owner, product, django_assert_max_num_queries
):
    client.force_login(owner)
    for number in range(8):
        _add(client, product, f"https://tiki.vn/mam-thai-{number}", "tiki")
    with django_assert_max_num_queries(10):
        page = client.get(PAGE).content.decode()
    assert page.count("https://tiki.vn/mam-thai-") >= 8

import pytest


@pytest.mark.django_db
def test_search_page_offers_did_you_mean_and_quick_filters(client):
    html = client.get("/san-pham/", {"q": "nuoc mamm"}).content.decode()
    assert "Có phải bạn muốn tìm" in html
    assert "nước mắm" in html
    assert 'class="facets"' in html
    assert "set=1.9" in html  # fish sauces: the set most results belong to


@pytest.mark.django_db
def test_search_without_results_explains_what_to_try(client):
    html = client.get("/san-pham/", {"q": "zzqxv"}).content.decode()
    assert "Không có sản phẩm nào khớp" in html
    assert "gõ không dấu cũng được" in html

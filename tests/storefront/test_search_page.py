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


@pytest.mark.django_db
def test_search_says_when_nothing_matches_every_word_and_shows_the_closest_apart(client):
    html = client.get("/san-pham/", {"q": "bánh pía"}).content.decode()
    assert "Không tìm thấy “bánh pía”" in html
    assert "Sản phẩm gần giống" in html
    assert "Kết quả cho" not in html and 'class="count"' not in html
    exact = client.get("/san-pham/", {"q": "bánh phồng tôm"}).content.decode()
    assert "Kết quả cho “bánh phồng tôm”" in exact and "Sản phẩm gần giống" not in exact


@pytest.mark.django_db
def test_search_shows_the_shop_words_it_left_out(client):
    html = client.get("/san-pham/", {"q": "hũ mắm thái 1kg"}).content.decode()
    assert "Không dùng để tìm: hũ, 1kg" in html
    only = client.get("/san-pham/", {"q": "chai 1kg ngon"}).content.decode()
    assert "Không tìm thấy “chai 1kg ngon”" in only and "gõ không dấu cũng được" in only

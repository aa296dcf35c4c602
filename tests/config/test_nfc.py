import unicodedata

import pytest
from django.test import RequestFactory

from config.nfc import NfcInputMiddleware

DECOMPOSED = unicodedata.normalize("NFD", "Mắm thái Châu Đốc")


def _seen_by_view(request):
    seen = {}

    def view(req):
        seen["GET"], seen["POST"] = req.GET.copy(), req.POST.copy()
        return None

    NfcInputMiddleware(view)(request)
    return seen


def test_query_string_and_form_values_reach_views_in_nfc():
    assert DECOMPOSED != unicodedata.normalize("NFC", DECOMPOSED)
    request = RequestFactory().post(f"/x/?q={DECOMPOSED}", {"name": DECOMPOSED, "n": ["a", "b"]})
    seen = _seen_by_view(request)
    assert seen["GET"]["q"] == "Mắm thái Châu Đốc"
    assert seen["POST"]["name"] == "Mắm thái Châu Đốc"
    assert seen["POST"].getlist("n") == ["a", "b"]


@pytest.mark.django_db
def test_a_decomposed_search_finds_the_same_products(client):
    composed = client.get("/san-pham/", {"q": "Mắm thái"}).content.decode()
    decomposed = client.get("/san-pham/", {"q": unicodedata.normalize("NFD", "Mắm thái")})
    assert decomposed.status_code == 200
    assert composed.count('class="card') == decomposed.content.decode().count('class="card')
    assert composed.count('class="card') > 0

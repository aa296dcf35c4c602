"""A producer's own shop links on other platforms count like imported sightings."""

import pytest
from django.contrib.auth.models import User

from marketplace.coverage.models import RegisterEntry
from marketplace.coverage.services import online_entry_ids
from marketplace.coverage.shop_links import add_shop_link, remove_shop_link, shop_links_of
from marketplace.errors import DomainError
from producers.models import Membership, Producer
from tests.marketplace.coverage.conftest import REPORT_DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    user = User.objects.create_user("chu-co-so")
    Membership.objects.create(user=user, producer=Producer.objects.get(code="AG0065"))
    return user


def test_a_shop_link_puts_a_certified_product_online(sample_register, member):
    # AG0065-01 is a draft here, certified 107/2025 and not sold anywhere yet.
    entry = RegisterEntry.objects.get(certificate_number="107/2025/OCOP-AG")
    assert entry.pk not in online_entry_ids(REPORT_DAY)
    listing = add_shop_link(member, "AG0065-01", "Shopee", "https://shopee.example/bay-nui/1")
    assert listing.register_entry == entry and listing.platform == "shopee"
    assert entry.pk in online_entry_ids(REPORT_DAY)
    assert list(shop_links_of(member)) == [listing]

    remove_shop_link(member, listing.pk)
    assert entry.pk not in online_entry_ids(REPORT_DAY)


def test_only_members_may_add_or_remove_their_links(sample_register, member):
    stranger = User.objects.create_user("nguoi-la")
    with pytest.raises(DomainError) as excinfo:
        add_shop_link(stranger, "AG0065-01", "shopee", "https://shopee.example/x")
    assert excinfo.value.code == "NOT_FOUND"
    listing = add_shop_link(member, "AG0065-01", "tiki", "https://tiki.example/x")
    with pytest.raises(DomainError):
        remove_shop_link(stranger, listing.pk)
    assert not shop_links_of(stranger).exists()


@pytest.mark.parametrize(
    "platform, url, code",
    [
        ("ebay", "https://ebay.example/x", "UNKNOWN_PLATFORM"),
        ("shopee", "http://shopee.example/x", "INVALID_URL"),
    ],
)
def test_bad_links_are_refused(member, platform, url, code):
    with pytest.raises(DomainError) as excinfo:
        add_shop_link(member, "AG0065-01", platform, url)
    assert excinfo.value.code == code

"""Who is who in the portal tests: two producers, their members, a shopper."""

import pytest

from marketplace.catalog.models import Product
from producers.models import MemberRole, Membership, Producer

PASSWORD = "Mam-thai-Chau-Doc-2025"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing takes ~0.3 s a user; these tests are about access, not hash strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _user(django_user_model, username, email=""):
    return django_user_model.objects.create_user(username=username, email=email, password=PASSWORD)


@pytest.fixture
def producer(db):
    return Producer.objects.get(code="AG0001")


@pytest.fixture
def other_producer(db):
    return Producer.objects.get(code="AG0003")


@pytest.fixture
def owner(django_user_model, producer):
    user = _user(django_user_model, "+84912345678", "chu@htx-anphu.vn")
    Membership.objects.create(user=user, producer=producer, role=MemberRole.OWNER)
    return user


@pytest.fixture
def staff_member(django_user_model, producer):
    user = _user(django_user_model, "+84987654321")
    Membership.objects.create(user=user, producer=producer, role=MemberRole.STAFF)
    return user


@pytest.fixture
def other_owner(django_user_model, other_producer):
    user = _user(django_user_model, "+84933333333", "chu@htx-khac.vn")
    Membership.objects.create(user=user, producer=other_producer, role=MemberRole.OWNER)
    return user


@pytest.fixture
def shopper(django_user_model):
    return _user(django_user_model, "+84944444444", "khach@example.vn")


@pytest.fixture
def product(producer):
    return Product.objects.filter(producer=producer).order_by("sku").first()


@pytest.fixture
def other_product(other_producer):
    return Product.objects.filter(producer=other_producer).order_by("sku").first()


@pytest.fixture
def sub_order(product):
    """A cash-on-delivery order of one unit of `product`: its producer's sub-order."""
    from marketplace.checkout.services.complete import complete_checkout
    from marketplace.payments.models import PaymentMethod
    from tests.marketplace.checkout.buying import checkout_for

    order = complete_checkout(checkout_for([product]).pk, PaymentMethod.COD)
    return order.sub_orders.get(producer=product.producer)


@pytest.fixture
def lot(product):
    import datetime

    from traceability.lots import BatchData, create_batch

    batch, _ = create_batch(
        BatchData(
            product=product,
            lot="PORTAL1",
            packed_on=datetime.date(2026, 1, 5),
            best_before=datetime.date(2027, 1, 5),
            units=50,
        )
    )
    return batch


@pytest.fixture
def confirmed_sub_order(sub_order):
    from marketplace.checkout.models import OrderStatus
    from marketplace.checkout.services.orders import set_sub_order_status

    return set_sub_order_status(sub_order.pk, OrderStatus.CONFIRMED)


@pytest.fixture
def shop_link(owner, product):
    """The first producer's own Shopee shop for `product`."""
    from marketplace.coverage import shop_links

    return shop_links.add_shop_link(
        owner, product.sku, "shopee", "https://shopee.vn/htx-an-phu/mam-thai"
    )


# The clock the statement tests set (tests/marketplace/settlements/statement_world).
from tests.marketplace.settlements.statement_world import clock  # noqa: E402, F401

"""Every stock change reaches the engine's in_stock filter after commit (live Elasticsearch)."""

import pytest

from marketplace.catalog.listing import ProductFilter
from marketplace.catalog.stock import set_stock
from marketplace.checkout.services.complete import complete_checkout
from marketplace.checkout.services.orders import Fulfilment, set_sub_order_status
from marketplace.payments.models import PaymentMethod
from marketplace.search.services import browse_products
from producers import listings
from tests.marketplace.checkout.buying import checkout_for, three_producers

pytestmark = pytest.mark.django_db


def _in_stock_document(engine, product) -> bool:
    return engine.client().get(index=engine.alias(), id=product.pk)["_source"]["in_stock"]


def _found_in_stock(product) -> bool:
    page = browse_products(first=50, search=product.name, flt=ProductFilter(in_stock=True))
    assert page.backend == "elasticsearch"
    return product.pk in {p.pk for p in page.items}


def test_every_stock_path_reaches_the_engine(engine, django_capture_on_commit_callbacks):
    product = three_producers()[0]
    with django_capture_on_commit_callbacks(execute=True):
        set_stock(product, 1)
    engine.client().indices.refresh(index=engine.alias())
    assert _in_stock_document(engine, product) and _found_in_stock(product)

    # A sale of the last unit (today's `.update()` left the engine saying "in stock").
    with django_capture_on_commit_callbacks(execute=True):
        order = complete_checkout(checkout_for([product]).pk, PaymentMethod.COD)
    engine.client().indices.refresh(index=engine.alias())
    assert not _in_stock_document(engine, product)
    assert not _found_in_stock(product)

    # The producer cancels: the unit is back, and so is the product under "in stock".
    sub = order.sub_orders.get()
    with django_capture_on_commit_callbacks(execute=True):
        set_sub_order_status(sub.pk, "cancelled", Fulfilment(cancel_reason="Hết hàng thật"))
    engine.client().indices.refresh(index=engine.alias())
    assert _in_stock_document(engine, product) and _found_in_stock(product)

    # The portal's quick edit (and GraphQL stockUpdate, which calls it) to zero.
    member = product.producer.memberships.select_related("user").first()
    if member is not None:
        with django_capture_on_commit_callbacks(execute=True):
            listings.quick_update(member.user, product.pk, stock="0")
        assert not _in_stock_document(engine, product)

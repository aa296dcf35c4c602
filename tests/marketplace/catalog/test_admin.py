"""The staff admin for the catalog: pages load, lists stay N+1-free, actions use the services."""

import pytest
from django.urls import reverse

from marketplace.catalog.images import ensure_placeholder
from marketplace.catalog.models import Product, ProductStatus
from marketplace.money import format_vnd
from marketplace.taxonomy.models import OcopGroup, ProductSet

pytestmark = pytest.mark.django_db

# Session, user, counts, one page of rows, filter choices: independent of the rows shown.
CHANGELIST_MAX_QUERIES = 10


@pytest.mark.parametrize(
    "model", [Product, ProductSet, OcopGroup], ids=lambda model: model._meta.model_name
)
def test_changelist_loads_without_n_plus_one(admin_client, django_assert_max_num_queries, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    admin_client.get(url)  # warm the session and content-type caches
    with django_assert_max_num_queries(CHANGELIST_MAX_QUERIES):
        response = admin_client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == min(100, model.objects.count())


def test_product_changelist_shows_price_in_dong_and_stock(admin_client):
    product = Product.objects.select_related("stock").order_by("sku").first()
    response = admin_client.get(reverse("admin:catalog_product_changelist"), {"q": product.sku})
    html = response.content.decode()
    assert format_vnd(product.price) in html
    assert f'<td class="field-stock_quantity">{product.stock.quantity}</td>' in html


def test_product_change_page_shows_image_and_stock(admin_client):
    product = Product.objects.select_related("product_set", "certificate").order_by("sku").first()
    image = ensure_placeholder(product)
    response = admin_client.get(reverse("admin:catalog_product_change", args=[product.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert image.thumbnail_url(160) in html
    assert product.name in html


@pytest.mark.parametrize(
    ("model", "pk"), [(OcopGroup, 1), (ProductSet, "1.8")], ids=["group", "set"]
)
def test_group_and_set_change_pages_load(admin_client, model, pk):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert str(model.objects.get(pk=pk).name) in response.content.decode()


def test_product_filters_match_the_database(admin_client):
    url = reverse("admin:catalog_product_changelist")
    drafts = admin_client.get(url, {"status__exact": "draft"}).context["cl"]
    assert drafts.result_count == Product.objects.filter(status="draft").count() > 0
    five = admin_client.get(url, {"certificate__stars": 5}).context["cl"]
    assert five.result_count == Product.objects.filter(certificate__stars=5).count() > 0
    in_set = admin_client.get(url, {"product_set__code__exact": "1.8"}).context["cl"]
    assert in_set.result_count == Product.objects.filter(product_set="1.8").count() > 0


def test_hide_and_publish_actions_go_through_the_services(admin_client):
    product = Product.objects.published().order_by("sku").first()
    url = reverse("admin:catalog_product_changelist")
    form = {"action": "hide_selected", "_selected_action": [product.pk]}
    response = admin_client.post(url, form, follow=True)
    assert response.status_code == 200
    product.refresh_from_db()
    assert product.status == ProductStatus.HIDDEN
    published_at = product.published_at
    admin_client.post(url, {**form, "action": "publish_selected"})
    product.refresh_from_db()
    assert product.status == ProductStatus.PUBLISHED
    assert product.published_at > published_at


def test_publish_action_reports_the_domain_error(admin_client):
    product = Product.objects.filter(status="draft").select_related("producer").first()
    product.producer.is_active = False
    product.producer.save()
    response = admin_client.post(
        reverse("admin:catalog_product_changelist"),
        {"action": "publish_selected", "_selected_action": [product.pk]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any(product.sku in m and "tạm ngưng" in m for m in messages)
    product.refresh_from_db()
    assert product.status == ProductStatus.DRAFT


def test_catalog_admin_is_read_only(admin_client):
    assert admin_client.get(reverse("admin:catalog_product_add")).status_code == 403
    assert admin_client.get(reverse("admin:taxonomy_productset_add")).status_code == 403


def test_format_vnd_groups_thousands_with_dots():
    assert format_vnd(125000) == "125.000\u00a0₫"
    assert format_vnd(0) == "0\u00a0₫"
    assert format_vnd(1_250_000) == "1.250.000\u00a0₫"
    assert format_vnd(-5000) == "-5.000\u00a0₫"

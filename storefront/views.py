"""The shopper's pages: thin views over the catalog's listing and the selectors."""

import datetime

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from marketplace.access import public
from marketplace.addresses import selectors as addresses
from marketplace.addresses.models import Province
from marketplace.catalog.errors import CatalogError
from marketplace.catalog.models import Product
from marketplace.checkout import shipping
from marketplace.errors import DomainError
from marketplace.search.services import browse_products
from marketplace.taxonomy.models import ProductSet
from producers.models import Producer
from storefront import selectors
from storefront.forms import SORTS, STARS, ListingForm
from traceability import digital_link

SHOP = "the storefront: published listings, as anyone sees them"

PAGE_SIZE = 24
HOME_ROW = 4  # two rows of two on a phone: the home page stays short
POPULAR_DAYS = 90


@require_safe
@public(SHOP)
def home(request):
    return render(
        request,
        "storefront/home.html",
        {
            "popular": selectors.popular_products(
                timezone.localdate() - datetime.timedelta(days=POPULAR_DAYS), limit=HOME_ROW
            ),
            "newest": selectors.newest_products(limit=HOME_ROW),
            "featured": selectors.featured_products(timezone.localdate(), limit=HOME_ROW),
            "groups": selectors.groups_with_sets(),
            "places": selectors.places(),
            "today": timezone.localdate(),
        },
    )


@require_safe
@public(SHOP)
def product_list(request):
    return _listing(request, product_set=None)


@require_safe
@public(SHOP)
def product_set(request, code):
    chosen = get_object_or_404(ProductSet.objects.select_related("group"), code=code)
    return _listing(request, product_set=chosen)


def _listing(request, product_set):
    sets = selectors.sets_with_products()
    wards = selectors.places()
    form = ListingForm(request.GET, ward_codes=[w.code for w in wards])
    query = form.query(fixed_set=product_set.code if product_set else None)
    notices = []
    if query.ignored:
        notices.append(
            _("Đã bỏ qua giá trị không hợp lệ: %(fields)s.") % {"fields": ", ".join(query.ignored)}
        )
    after = request.GET.get("after") or None
    try:
        page = browse_products(
            first=PAGE_SIZE, after=after, flt=query.flt, sort=query.sort, search=query.search
        )
    except DomainError as exc:
        if exc.code != CatalogError.INVALID_CURSOR:
            raise
        # A stale or hand-edited cursor: start again from the first page.
        notices.append(_("Liên kết trang không còn đúng, đang hiển thị từ trang đầu."))
        page = browse_products(first=PAGE_SIZE, flt=query.flt, sort=query.sort, search=query.search)
    next_cursor = page.cursor(page.items[-1], query.sort) if page.has_next else None
    return render(
        request,
        "storefront/product_list.html",
        {
            "page": page,
            "next_cursor": next_cursor,
            "query": query,
            "product_set": product_set,
            "sets": sets,
            "wards": wards,
            "stars_choices": STARS,
            "sort_choices": [(key, label) for key, (label, _sort) in SORTS.items()],
            "notices": notices,
            "today": timezone.localdate(),
        },
    )


DELIVERY_PROVINCE_KEY = "delivery_province"


@require_safe
@public(SHOP)
def product_detail(request, slug):
    products = Product.objects.visible_to(request.user).for_listing()
    product = get_object_or_404(products.select_related("producer__ward__province"), slug=slug)
    today = timezone.localdate()
    journey = selectors.latest_lot_journey(product)
    return render(
        request,
        "storefront/product_detail.html",
        {
            "product": product,
            "images": list(product.images.all()),
            "certificate": product.certificate,
            "certificate_valid": product.certificate is not None
            and product.certificate.is_valid_on(today),
            "certificate_pending": product.certificate is not None
            and today < product.certificate.issued_on,
            "today": today,
            "journey": journey,
            "trace_path": digital_link.path_for(journey.batch) if journey else "",
            "delivery": _delivery(request, product),
            "provinces": addresses.provinces(),
            "others": selectors.other_products(product),
        },
    )


def _delivery(request, product) -> dict | None:
    """The estimate for the province the shopper chose (remembered), An Giang until then."""
    if not product.needs_shipping:
        return None
    wanted = request.GET.get("tinh", "")
    province = Province.objects.filter(pk=wanted).first() if wanted else None
    if province is not None:
        request.session[DELIVERY_PROVINCE_KEY] = province.code
    else:
        remembered = request.session.get(DELIVERY_PROVINCE_KEY) or selectors.HOME_PROVINCE
        province = Province.objects.filter(pk=remembered).first()
    if province is None:
        return None
    zone, fee, (fastest, slowest) = shipping.estimate_to_province(
        product.producer.ward, province.code, product.net_weight_g
    )
    return {"province": province, "fee": fee, "fastest": fastest, "slowest": slowest}


@require_safe
@public(SHOP)
def producer_detail(request, slug):
    producer = get_object_or_404(
        Producer.objects.select_related("ward__province"), slug=slug, is_active=True
    )
    products = Product.objects.published().filter(producer=producer).for_listing()
    return render(
        request,
        "storefront/producer_detail.html",
        {"producer": producer, "products": list(products), "today": timezone.localdate()},
    )


def not_found(request, exception=None):
    return render(request, "storefront/404.html", status=404)

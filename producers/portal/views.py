"""Producer portal pages (phone-first): thin views over producers.listings and accounts.

Every page needs a signed-in member; another producer's product is a 404, never a 403, so
nobody learns what exists elsewhere. Writes are POST-then-redirect, so a reload on a weak
connection never submits twice.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace import access
from marketplace.access import Permission
from marketplace.catalog.models import PhotoUploadStatus
from marketplace.coverage import shop_links
from marketplace.errors import DomainError
from marketplace.form_errors import add_domain_errors
from marketplace.money import format_vnd
from producers import fulfilment, invitations, listings, photo_uploads, selectors
from producers.errors import ProducerError
from producers.models import RequestStatus
from producers.portal import scope
from producers.portal.forms import (
    PLATFORM_LABELS,
    EventForm,
    InviteForm,
    ListingForm,
    LotForm,
    PhotoForm,
    QuickEditForm,
    ShopLinkForm,
)
from traceability.selectors import lot_events


def member_required(view):
    """Permission.PORTAL: anonymous → sign-in page, others (shoppers) → 403 page."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        # One query finds the user's producers, which also says whether they are a member.
        if not scope.narrow(request):
            if invitations.pending_requests(request.user).exists():
                return redirect("portal:requests")
            return render(request, "portal/denied.html", status=403)
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            if exc.code == ProducerError.NOT_FOUND:
                raise Http404(exc.message)
            raise

    return access.declare(wrapper, Permission.PORTAL)


def owner_required(view):
    """Permission.OWN_PRODUCER of the portal's chosen producer; members who are not its owner
    get the 403 page, staff who have not chosen a producer the page to choose one."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        producer = request.portal_producer
        if producer is None:  # staff who have not picked a producer yet
            return render(request, "portal/choose_producer.html")
        if not access.has(request.user, Permission.OWN_PRODUCER, producer):
            return render(request, "portal/denied.html", {"owner_only": True}, status=403)
        return view(request, *args, **kwargs)

    return access.declare(member_required(wrapper), Permission.OWN_PRODUCER)


@member_required
def dashboard(request):
    user = request.user
    return render(
        request,
        "portal/dashboard.html",
        {
            "producers": list(listings.producers_of(user)),
            "figures": selectors.figures(user),
            "low_stock": list(
                selectors.low_stock_products(user)
                .select_related("stock")
                .order_by("stock__quantity", "sort_name")[:20]
            ),
            "low_stock_limit": selectors.LOW_STOCK,
            "expiring": list(selectors.expiring_certificates(user).order_by("expires_on")),
            "warning_days": selectors.CERTIFICATE_WARNING_DAYS,
            "flags": selectors.recent_flags(user),
            "moderated": selectors.moderated_products(user),
        },
    )


@member_required
def product_list(request):
    # The dashboard's figures link here: ?ton-kho=sap-het, ?chung-nhan=sap-het-han.
    products = selectors.member_products(
        request.user,
        low_stock=request.GET.get("ton-kho") == "sap-het",
        expiring=request.GET.get("chung-nhan") == "sap-het-han",
    )
    return render(request, "portal/product_list.html", {"products": products})


def _listing_form(request, product=None):
    producers = list(listings.producers_of(request.user)) if product is None else [product.producer]
    if product is None and not producers:
        raise Http404
    chosen = request.POST.get("producer") if request.method == "POST" else None
    producer = next((p for p in producers if p.code == chosen), producers[0])
    certificates = list(producer.certificates.order_by("-expires_on"))
    initial = {}
    if product is not None:
        initial = {
            "producer": product.producer.code,
            "name": product.name,
            "name_en": product.name_en,
            "product_set": product.product_set_id,
            "unit": product.unit,
            "price": format_vnd(product.price),  # shown as "125.000 ₫", read back as đồng
            "stock": product.stock_quantity,
            "certificate": product.certificate.number if product.certificate_id else "",
            "description": product.description,
            "gtin": product.gtin or "",
        }
    form = ListingForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        producers=producers,
        certificates=certificates,
        gtin_locked=product is not None and bool(product.gtin) and product.batches.exists(),
        staff=access.is_platform_staff(request.user),
    )
    return form, producer


@member_required
def product_create(request):
    form, producer = _listing_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            product = listings.create_listing(request.user, producer, form.listing_input())
        except DomainError as exc:
            add_domain_errors(form, exc, {"certificate": "certificate", "ocop_set": "product_set"})
        else:
            messages.success(request, _("Đã tạo sản phẩm. Thêm ảnh rồi bấm Đăng bán."))
            return redirect("portal:product_photos", pk=product.pk)
    return render(request, "portal/product_form.html", {"form": form, "product": None})


@member_required
def product_edit(request, pk):
    product = listings.get_product(request.user, pk)
    form, _producer = _listing_form(request, product)
    if request.method == "POST" and form.is_valid():
        try:
            listings.update_listing(request.user, pk, form.listing_input())
        except DomainError as exc:
            add_domain_errors(form, exc, {"ocop_set": "product_set"})
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("portal:products")
    return render(request, "portal/product_form.html", {"form": form, "product": product})


@require_POST
@member_required
def product_quick(request, pk):
    form = QuickEditForm(request.POST)
    listings.get_product(request.user, pk)  # 404 before anything else for others' products
    if form.is_valid():
        try:
            product = listings.quick_update(request.user, pk, **form.cleaned_data)
        except DomainError as exc:
            for error in exc.each():
                messages.error(request, error.message)
        else:
            messages.success(request, _("Đã cập nhật %(name)s.") % {"name": product.name})
    return redirect(f"{reverse('portal:products')}#p{pk}")


@require_POST
@member_required
def product_publish(request, pk):
    """Publishing is one tap; taking a listing off sale asks once more (a confirmation page)."""
    publish = request.POST.get("action") != "hide"
    if not publish and request.POST.get("confirm") != "1":
        product = listings.get_product(request.user, pk)
        return render(request, "portal/product_hide_confirm.html", {"product": product})
    try:
        product = listings.set_published(request.user, pk, publish)
    except DomainError as exc:
        if exc.code == ProducerError.NOT_FOUND:
            raise
        messages.error(request, exc.message)
    else:
        text = _("Đã đăng bán %(name)s.") if publish else _("Đã ngừng bán %(name)s.")
        messages.success(request, text % {"name": product.name})
    return redirect(f"{reverse('portal:products')}#p{pk}")


@require_POST
@member_required
def product_duplicate(request, pk):
    copy = listings.duplicate_listing(request.user, pk)
    messages.success(request, _("Đã nhân bản thành %(name)s (bản nháp).") % {"name": copy.name})
    return redirect("portal:product_edit", pk=copy.pk)


@member_required
def product_photos(request, pk):
    product = listings.get_product(request.user, pk)
    form = PhotoForm()
    if request.method == "POST":
        form = PhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = photo_uploads.queue_photo(request.user, pk, form.cleaned_data["image"])
            except DomainError as exc:
                add_domain_errors(form, exc)
            else:
                if job.status == PhotoUploadStatus.DONE:
                    messages.success(request, _("Đã thêm ảnh."))
                elif job.status == PhotoUploadStatus.QUEUED:
                    messages.success(request, _("Đã nhận ảnh, đang xử lý: ảnh hiện sau ít giây."))
                return redirect("portal:product_photos", pk=pk)
    unfinished = photo_uploads.unfinished(product)
    return render(
        request,
        "portal/product_photos.html",
        {
            "product": product,
            "images": list(product.images.order_by("position", "id")),
            "unfinished": unfinished,
            "processing": any(job.status == PhotoUploadStatus.QUEUED for job in unfinished),
            "form": form,
        },
    )


@require_POST
@member_required
def photo_dismiss(request, pk, job_pk):
    photo_uploads.dismiss(request.user, pk, job_pk)
    return redirect("portal:product_photos", pk=pk)


@require_POST
@member_required
def photo_delete(request, pk, image_pk):
    listings.delete_photo(request.user, pk, image_pk)
    messages.success(request, _("Đã xoá ảnh."))
    return redirect("portal:product_photos", pk=pk)


@require_POST
@member_required
def photo_move(request, pk, image_pk):
    offset = -1 if request.POST.get("direction") == "up" else 1
    listings.move_photo(request.user, pk, image_pk, offset)
    return redirect("portal:product_photos", pk=pk)


@owner_required
def members(request):
    producer = request.portal_producer
    form = InviteForm(request.POST or None)
    invitation = None
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitations.invite_member(request.user, producer, **form.cleaned_data)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            form = InviteForm()
    return render(
        request,
        "portal/members.html",
        {
            "producer": producer,
            "memberships": list(producer.memberships.select_related("user").order_by("role")),
            "pending": list(
                producer.membership_requests.filter(status=RequestStatus.PENDING)
                .select_related("user")
                .order_by("-created_at")
            ),
            "form": form,
            "invitation": invitation,
        },
    )


# --- Lots (traceability); orders are in order_views ------------------------------------------


@member_required
def lots(request):
    form = LotForm(request.POST or None, products=selectors.products_with_gtin(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = fulfilment.create_lot(
                request.user,
                data["product"],
                data["lot"],
                data["packed_on"],
                data["best_before"],
                data["units"],
                data["serialised"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc, {"sku": "product"})
        else:
            messages.success(request, _("Đã tạo lô %(lot)s.") % {"lot": batch.lot})
            return redirect("portal:lot", pk=batch.pk)
    return render(
        request,
        "portal/lots.html",
        {"lots": list(_lot_filter(request, selectors.lots_for(request.user))[:100]), "form": form},
    )


def _lot_filter(request, lots):
    """?canh-bao=1: only lots with scan flags (the dashboard links here)."""
    return lots.filter(flag_count__gt=0) if request.GET.get("canh-bao") == "1" else lots


@member_required
def lot(request, pk):
    batch = selectors.get_lot(request.user, pk)
    form = EventForm(request.POST or None, request.FILES or None, steps=fulfilment.EVENT_STEPS)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fulfilment.record_step(
                request.user, pk, data["step"], data["when"], data["note"], data["photo"]
            )
        except DomainError as exc:
            fields = {"event_time": "when", "biz_step": "step", "image": "photo"}
            add_domain_errors(form, exc, {**fields, "attachments": "photo"})
        else:
            messages.success(request, _("Đã ghi nhận."))
            return redirect("portal:lot", pk=pk)
    return render(
        request,
        "portal/lot.html",
        {
            "batch": batch,
            "events": lot_events(batch),
            "flags": list(batch.flags.order_by("-created_at")[:20]),
            "form": form,
        },
    )


# --- Own shops on other platforms (marketplace.coverage.shop_links) --------------------------


@member_required
def shop_link_list(request):
    products = selectors.product_choices(request.user)
    form = ShopLinkForm(
        request.POST or None, products=products, platforms=shop_links.KNOWN_PLATFORMS
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            shop_links.add_shop_link(request.user, data["product"], data["platform"], data["url"])
        except DomainError as exc:
            add_domain_errors(form, exc, {"sku": "product"})
        else:
            messages.success(request, _("Đã thêm đường dẫn gian hàng."))
            return redirect("portal:shop_links")
    links = list(
        shop_links.shop_links_of(request.user).order_by("platform", "product_name", "id")[:200]
    )
    for link in links:
        link.platform_label = PLATFORM_LABELS.get(link.platform, link.platform)
    return render(request, "portal/shop_links.html", {"links": links, "form": form})


@require_POST
@member_required
def shop_link_delete(request, pk):
    shop_links.remove_shop_link(request.user, pk)
    messages.success(request, _("Đã xoá đường dẫn."))
    return redirect("portal:shop_links")

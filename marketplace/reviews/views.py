"""Review pages: the buyer's form and the producer's replies in the portal (staff moderate
in the admin, marketplace.reviews.admin).

Thin: marketplace.reviews.services decides who may do what.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.ratelimit import rate_limited
from marketplace.access import public
from marketplace.errors import DomainError
from marketplace.form_errors import add_domain_errors
from marketplace.reviews import selectors, services
from marketplace.reviews.errors import ReviewError
from marketplace.reviews.forms import ReplyForm, ReviewForm
from marketplace.reviews.proof import buyer_of
from producers.portal.views import member_required


@rate_limited("review")
@public("the buyer's proof is checked by the service: this session's orders or its shopper")
def review_create(request, number, line_id):
    buyer = buyer_of(request)
    try:
        line = services.reviewable_line(line_id, buyer, number)
    except DomainError as exc:
        if exc.code == ReviewError.NOT_FOUND:
            raise Http404(exc.message)
        messages.info(request, exc.message)
        return redirect("checkout:order", number=number)
    form = ReviewForm(request.POST or None)
    photos = request.FILES.getlist("photos")
    if request.method == "POST" and form.is_valid():
        try:
            services.create_review(
                line.pk,
                buyer,
                rating=form.cleaned_data["rating"],
                text=form.cleaned_data["text"],
                photos=photos,
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Cảm ơn bạn đã đánh giá!"))
            return redirect("checkout:order", number=number)
    return render(request, "reviews/review_form.html", {"form": form, "line": line})


@member_required
def portal_reviews(request):
    return render(
        request,
        "reviews/portal_reviews.html",
        {"reviews": selectors.producer_reviews(request.user), "form": ReplyForm()},
    )


@require_POST
@member_required
def portal_reply(request, pk):
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply(request.user, pk, form.cleaned_data["text"])
        except DomainError as exc:
            if exc.code == ReviewError.NOT_FOUND:
                raise Http404(exc.message)
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã đăng lời trả lời."))
    else:
        messages.error(request, _("Hãy viết lời trả lời."))
    return redirect("reviews_portal:list")

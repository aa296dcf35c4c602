"""As-you-type suggestions for the search box, as JSON."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from config.ratelimit import rate_limited
from marketplace.access import public
from marketplace.search.services import suggest as suggest_products


@rate_limited("suggest", methods=("GET",), json=True)
@require_GET
@public("search suggestions over the published catalogue")
def suggest(request):
    return JsonResponse(suggest_products(request.GET.get("q", "")))

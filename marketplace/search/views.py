"""As-you-type suggestions for the search box, as JSON."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from marketplace.search.services import suggest as suggest_products


@require_GET
def suggest(request):
    return JsonResponse(suggest_products(request.GET.get("q", "")))

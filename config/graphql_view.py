"""The /graphql/ endpoint: graphene-django's view with size, depth and cost limits.

Scripts call the API without a CSRF token; a browser session only counts as signed in when
its request passes Django's CSRF check, so a forged cross-site POST runs as anonymous.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt
from graphene.validation import depth_limit_validator
from graphene_django.views import GraphQLView
from graphql.validation import specified_rules

from config.graphql_cost import query_cost_rule


class LimitedGraphQLView(GraphQLView):
    def dispatch(self, request, *args, **kwargs):
        if len(request.body) > settings.GRAPHQL_MAX_QUERY_BYTES and not request.FILES:
            return JsonResponse(
                {"errors": [{"message": "Request body too large for a GraphQL query."}]},
                status=413,
            )
        if request.method == "POST" and request.user.is_authenticated:
            rejected = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if rejected is not None:
                request.user = AnonymousUser()
        return super().dispatch(request, *args, **kwargs)


def _validation_rules():
    return [
        *specified_rules,
        depth_limit_validator(max_depth=settings.GRAPHQL_MAX_DEPTH),
        query_cost_rule(settings.GRAPHQL_MAX_COST),
    ]


graphql_view = csrf_exempt(
    LimitedGraphQLView.as_view(graphiql=settings.DEBUG, validation_rules=_validation_rules())
)

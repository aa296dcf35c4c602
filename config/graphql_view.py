"""The /graphql/ endpoint: graphene-django's view with size, depth, cost and alias limits, no
introspection in production, and unexpected errors masked (config/graphql_errors.py).

Scripts call the API without a CSRF token; a browser session only counts as signed in when
its request passes Django's CSRF check, so a forged cross-site POST runs as anonymous.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView, HttpError
from graphene_file_upload.django import FileUploadGraphQLView
from graphql.validation import NoSchemaIntrospectionCustomRule, specified_rules

from config import graphql_errors
from config.graphql_cost import alias_limit_rule, query_limits_rule
from config.graphql_execution import CachedDocuments
from config.graphql_transactions import MutationTransactions
from config.ratelimit import rate_limited
from marketplace.access import public


# + multipart uploads (productImageUpload); one transaction per mutation (graphql_transactions);
# documents parsed and validated once, executed without the async checks (graphql_execution)
class LimitedGraphQLView(MutationTransactions, CachedDocuments, FileUploadGraphQLView):
    def dispatch(self, request, *args, **kwargs):
        # Multipart bodies (file uploads) are bounded by the upload limits, not the query size.
        is_multipart = request.content_type == "multipart/form-data"
        if not is_multipart and len(request.body) > settings.GRAPHQL_MAX_QUERY_BYTES:
            return JsonResponse(
                {"errors": [{"message": "Request body too large for a GraphQL query."}]},
                status=413,
            )
        try:
            if request.method == "POST" and request.user.is_authenticated:
                rejected = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
                if rejected is not None:
                    request.user = AnonymousUser()
            return super().dispatch(request, *args, **kwargs)
        except Exception as exc:  # outside execution (session, validation): same masking
            unavailable = isinstance(exc, graphql_errors.UNAVAILABLE)
            return JsonResponse(
                {"errors": [graphql_errors.masked(exc)]}, status=503 if unavailable else 500
            )

    def format_error(self, error):
        if graphql_errors.is_intended(error) or isinstance(error, HttpError):
            return GraphQLView.format_error(error)
        return graphql_errors.masked(error)


class IntrospectionRule(NoSchemaIntrospectionCustomRule):
    """`__schema` and `__type` only with DEBUG or GRAPHQL_INTROSPECTION (read per request)."""

    def enter_field(self, node, *args):
        if not (settings.DEBUG or settings.GRAPHQL_INTROSPECTION):
            super().enter_field(node, *args)


def _validation_rules():
    return [
        *specified_rules,
        IntrospectionRule,
        query_limits_rule(max_depth=settings.GRAPHQL_MAX_DEPTH, max_cost=settings.GRAPHQL_MAX_COST),
        alias_limit_rule(max_aliases=settings.GRAPHQL_MAX_ALIASES),
    ]


graphql_view = public(
    "each root field declares its own policy (tests/config/test_access_coverage)"
)(
    rate_limited("api", methods=("GET", "POST"), json=True)(
        csrf_exempt(
            LimitedGraphQLView.as_view(
                graphiql=settings.DEBUG, validation_rules=_validation_rules()
            )
        )
    )
)

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from config.graphql_view import graphql_view
from config.health import healthz
from config.media import favicon, serve_media, serve_private
from config.ratelimit import limit_exempt
from marketplace.access import public
from marketplace.language import views as language_views
from marketplace.reviews import urls as review_urls
from traceability import views as trace_views

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("media-private/<str:token>", serve_private, name="private_media"),
    path("graphql/", graphql_view, name="graphql"),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", language_views.switch_language, name="set_language"),
    path("office/", include("marketplace.coverage.urls")),
    path("portal/ma-api/", include("producers.tokens.urls")),
    path("portal/danh-gia/", include(review_urls.portal_patterns)),
    path("portal/", include("producers.portal.urls")),
    path("search/", include("marketplace.search.urls")),
    path("payments/", include("marketplace.payments.urls")),
    path("hoa-don/", include("marketplace.invoices.urls")),
    path("", include("marketplace.reviews.urls")),
    path("tai-khoan/", include("marketplace.accounts.urls")),
    path("", include("marketplace.checkout.urls")),
    path("", include("traceability.urls")),
    path("", include("storefront.urls")),
    # Compressed GS1 Digital Links (/ARHKVAdpQg) last, so every named page wins over them.
    re_path(r"^(?P<segment>[A-Za-z0-9_-]{10,400})/?$", trace_views.resolve_compressed),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(
            r"^media/(?P<path>.*)$",
            public("uploaded product photos, public on the storefront")(
                limit_exempt("reads files; a web server serves them in production")(serve_media)
            ),
        ),
    ]

handler404 = "storefront.views.not_found"
handler500 = "config.errors.server_error"

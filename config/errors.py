"""When something breaks: branded 500 and 503 pages, and 503 + Retry-After while the database
is away.

A lost database is not a bug in a page: every page that needs it answers 503 "back soon" (with
Retry-After, so browsers, crawlers and load balancers wait) instead of a 500. The middleware
catches it from views; handler500 catches it from anywhere else (a middleware saving the
session, say). Both pages render without the database.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.shortcuts import render

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)


# What the base template would otherwise read from the session and the database.
WITHOUT_DATABASE = {"cart_count": 0}


def service_unavailable(request):
    response = render(request, "storefront/503.html", WITHOUT_DATABASE, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    """handler500: the branded page, or the 503 one when the cause is the database."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return service_unavailable(request)
    return render(request, "storefront/500.html", WITHOUT_DATABASE, status=500)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        log.error("database unavailable on %s: %s", request.path, exception)
        return service_unavailable(request)

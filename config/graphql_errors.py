"""What a GraphQL client is told when something breaks inside the server: a code and a request id.

Errors the API means to send (syntax, validation, limits, domain errors raised as GraphQLError)
pass unchanged. Anything else (a bug, RecursionError, the database) never reaches the client as
text, which could name hosts, ports, SQL or code: it becomes `INTERNAL_ERROR`, or
`SERVICE_UNAVAILABLE` when the database cannot be reached, with the request id that the server
log carries next to the traceback (and the `X-Request-ID` response header).
"""

import logging

from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _
from graphql import GraphQLError

from config import request_id
from config.api_errors import ApiError

log = logging.getLogger("config.graphql")

UNAVAILABLE = (OperationalError, InterfaceError)


def is_intended(error: Exception) -> bool:
    if not isinstance(error, GraphQLError):
        return False
    return error.original_error is None or isinstance(error.original_error, GraphQLError)


def masked(error: Exception) -> dict:
    """The client's view of an unexpected error; the whole story goes to the log."""
    cause = getattr(error, "original_error", None) or error
    unavailable = isinstance(cause, UNAVAILABLE)
    code = ApiError.SERVICE_UNAVAILABLE if unavailable else ApiError.INTERNAL_ERROR
    rid = request_id.current()
    log.error("GraphQL %s, request %s", code, rid, exc_info=cause)
    if unavailable:
        message = _("Hệ thống tạm thời gián đoạn, vui lòng thử lại sau ít phút.")
    else:
        message = _("Đã có lỗi xảy ra ở máy chủ.")
    formatted = {
        "message": _("%(message)s Mã yêu cầu: %(id)s.") % {"message": message, "id": rid},
        "extensions": {"code": code, "requestId": rid},
    }
    if isinstance(error, GraphQLError):
        if error.locations:
            formatted["locations"] = [loc.formatted for loc in error.locations]
        if error.path:
            formatted["path"] = error.path
    return formatted

"""Root `subOrders`: a member's (or an API token's) order view, the same as the portal's.

Scoped by `SubOrder.objects.for_member` (through producers.selectors): another producer's
sub-orders are never in the answer. Newest first, keyset-paged by id.
"""

import base64

import graphene
from django.utils.translation import gettext

from marketplace.access import Permission
from marketplace.catalog.graphql.types import PageInfo
from marketplace.checkout.graphql.types import SubOrder
from marketplace.checkout.models import OrderStatus
from marketplace.errors import DomainError
from marketplace.graphql.core import query_error, requires
from marketplace.paging import MAX_PAGE_SIZE
from producers import selectors
from producers.errors import ProducerError


class SubOrderEdge(graphene.ObjectType):
    node = graphene.Field(SubOrder, required=True)
    cursor = graphene.String(required=True)


class SubOrderConnection(graphene.ObjectType):
    edges = graphene.List(graphene.NonNull(SubOrderEdge), required=True)
    page_info = graphene.Field(PageInfo, required=True)


def _cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"s:{pk}".encode()).decode().rstrip("=")


def _after(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()).decode()
        kind, pk = raw.split(":")
        if kind == "s" and pk.isdigit():
            return int(pk)
    except (ValueError, UnicodeDecodeError):
        pass
    raise DomainError(
        ProducerError.INVALID_CURSOR, gettext("Con trỏ trang (after) không hợp lệ."), "after"
    )


def sub_orders_page(user, first: int, after: str | None, status: str | None):
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise DomainError(
            ProducerError.INVALID_PAGE_SIZE,
            gettext("first phải từ 1 đến %(max_page_size)s.") % {"max_page_size": MAX_PAGE_SIZE},
            "first",
        )
    queryset = selectors.sub_orders_for(user).order_by("-pk")
    if status:
        value = status.strip().lower()
        if value not in OrderStatus.values:
            names = ", ".join(v.upper() for v in OrderStatus.values)
            raise DomainError(
                ProducerError.INVALID_STATUS,
                gettext("status phải là một trong %(names)s.") % {"names": names},
                "status",
            )
        queryset = queryset.filter(status=value)
    if after:
        queryset = queryset.filter(pk__lt=_after(after))
    rows = list(queryset[: first + 1])
    return rows[:first], len(rows) > first


class Queries(graphene.ObjectType):
    sub_orders = graphene.Field(
        SubOrderConnection,
        required=True,
        first=graphene.Int(required=True, description=f"At most {MAX_PAGE_SIZE}."),
        after=graphene.String(),
        status=graphene.String(description="NEW, CONFIRMED, SHIPPED, DELIVERED or CANCELLED."),
        description="The member's sub-orders (their producers' only), newest first.",
    )

    @staticmethod
    @requires(Permission.PORTAL)
    def resolve_sub_orders(root, info, first, after=None, status=None):
        try:
            rows, has_next = sub_orders_page(info.context.user, first, after, status)
        except DomainError as exc:
            raise query_error(exc) from exc
        edges = [SubOrderEdge(node=sub, cursor=_cursor(sub.pk)) for sub in rows]
        return SubOrderConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=has_next,
                has_previous_page=bool(after),
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )

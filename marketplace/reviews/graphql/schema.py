"""Reviews over GraphQL: `Product.rating`, `Product.reviews` and the `reviewCreate` mutation.

Thin: the proof of purchase comes from marketplace.reviews.proof (the session's order grants,
a signed-in shopper) or from the order's lookup credentials given in the input.
"""

import graphene
from graphene_file_upload.scalars import Upload
from graphql_relay import from_global_id

from config import ratelimit
from config.api_errors import ApiError
from marketplace.catalog.errors import CatalogError
from marketplace.checkout import services as checkout
from marketplace.checkout.errors import CheckoutError
from marketplace.errors import DomainError
from marketplace.graphql.core import Error, query_error
from marketplace.graphql.mutations import DomainMutation
from marketplace.reviews import selectors, services
from marketplace.reviews.errors import ReviewError
from marketplace.reviews.graphql.types import (
    Rating,
    Review,
    ReviewConnection,
    ReviewEdge,
    ReviewPageInfo,
)
from marketplace.reviews.proof import buyer_of


def resolve_rating(product, info):
    return Rating(average=product.rating_average, count=product.rating_count)


def resolve_reviews(product, info, first, after=None):
    try:
        page = selectors.product_reviews(product, first=first, after=after)
    except DomainError as exc:
        raise query_error(exc) from exc
    edges = [ReviewEdge(node=r, cursor=selectors.encode_cursor(r)) for r in page.items]
    return ReviewConnection(
        edges=edges,
        page_info=ReviewPageInfo(has_next_page=page.has_next, end_cursor=page.end_cursor),
    )


RATING_FIELD = graphene.Field(Rating, required=True, resolver=resolve_rating)
REVIEWS_FIELD = graphene.Field(
    ReviewConnection,
    required=True,
    first=graphene.Int(required=True, description="At most 100."),
    after=graphene.String(),
    resolver=resolve_reviews,
    description="Visible reviews from verified buyers, newest first.",
)


class ReviewCreateInput(graphene.InputObjectType):
    line_id = graphene.ID(required=True, description="The order line (Order.subOrders.lines.id).")
    rating = graphene.Int(required=True, description="1 to 5.")
    text = graphene.String()
    photos = graphene.List(graphene.NonNull(Upload), description="At most 3 (multipart).")
    order_number = graphene.String(description="With phone: proves the order, as order lookup.")
    phone = graphene.String()


def _line_id(raw: str):
    try:
        kind, pk = from_global_id(raw)
    except Exception:  # not base64: a plain id
        return raw
    return pk if kind == "OrderLine" else raw


def _count(request, limit: str, field: str) -> None:
    """Each call is an attempt against `limit` (every alias counts)."""
    try:
        ratelimit.hit_client(request, limit)
    except ratelimit.RateLimited as exc:
        raise DomainError(ApiError.RATE_LIMITED, exc.message, field) from exc


class ReviewCreate(DomainMutation):
    """Review a delivered order line once, as its buyer; NOT_FOUND also answers for someone
    else's line. Photos are checked as product photos are (the catalogue's codes)."""

    public = "the buyer's proof is checked by the service: session orders, shopper, lookup"
    error_codes = (ReviewError, CatalogError, CheckoutError, ApiError)
    field_names = {"number": "order_number"}

    class Arguments:
        input = ReviewCreateInput(required=True)

    review = graphene.Field(Review)
    errors = graphene.List(graphene.NonNull(Error), required=True)

    @classmethod
    def perform(cls, info, input):
        request = info.context
        _count(request, "review", "rating")
        buyer = buyer_of(request, check_csrf=True)
        if input.order_number or input.phone:
            _count(request, "order-lookup", "order_number")  # shared with order lookup
            order = checkout.find_order(input.order_number or "", input.phone or "")
            buyer = services.Buyer(
                order_numbers=buyer.order_numbers | {order.number}, phone=buyer.phone
            )
        review = services.create_review(
            _line_id(input.line_id),
            buyer,
            rating=input.rating,
            text=input.text or "",
            photos=input.photos or [],
        )
        return ReviewCreate(review=review, errors=[])


class Mutations(graphene.ObjectType):
    review_create = ReviewCreate.Field()

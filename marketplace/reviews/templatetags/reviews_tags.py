from django import template

from marketplace.reviews import selectors

register = template.Library()


@register.inclusion_tag("reviews/_rating.html")
def rating_summary(product, size: str = ""):
    """Stars and count from the product's denormalised columns: no query."""
    average = product.rating_average
    return {
        "average": average,
        "count": product.rating_count,
        "full": round(average) if average else 0,
        "size": size,
    }


@register.inclusion_tag("reviews/_product_reviews.html", takes_context=True)
def product_reviews(context, product):
    """The first page of a product's visible reviews (two queries: reviews, photos)."""
    page = selectors.product_reviews(product)
    return {"product": product, "page": page, "request": context.get("request")}


@register.simple_tag
def reviewed_line_ids(order) -> set[int]:
    """Ids of the order's lines already reviewed (one query), for the order page."""
    lines = [line for sub in order.sub_orders.all() for line in sub.lines.all()]
    return set(selectors.reviews_by_line(lines))


@register.filter
def star_bar(full: int) -> str:
    return "★" * full + "☆" * (5 - full)

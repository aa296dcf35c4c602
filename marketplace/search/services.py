"""One search service for the API, the storefront and the suggestion box.

`browse_products` is the one way in for every product listing, with or without a search; the
catalog's listing module provides the filters, sorts and keyset pages and never imports search.
`search_products` answers a page of products in relevance order (or the given sort), with facet
counts and a "did you mean". The backend is chosen by settings.SEARCH_BACKEND: `database`
(default) or `elasticsearch`; when the engine does not answer, the database answers instead and
/healthz says so. Documents are refreshed after commit whenever a product, its producer, its
certificate or its stock changes.
"""

import base64
import binascii
import json
import logging
import threading
import time
from collections.abc import Iterable
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext

from marketplace.catalog import listing
from marketplace.catalog.models import Product
from marketplace.errors import DomainError
from marketplace.search import facets as facet_rules
from marketplace.search.analysis import QueryPlan, plan_query, query_tokens
from marketplace.search.backends import database, ranking
from marketplace.search.documents import engine_document, indexable_products, is_searchable
from marketplace.search.errors import SearchError
from marketplace.search.models import IndexFailure

log = logging.getLogger(__name__)

DATABASE = "database"
ELASTICSEARCH = "elasticsearch"
# After a failed call the engine is not asked again for this long: a dead node must not add
# its timeout to every request.
ENGINE_RETRY_SECONDS = 15
_engine_down_until = 0.0


# --- Which backend answers -----------------------------------------------------------------


def configured_backend() -> str:
    return ELASTICSEARCH if settings.SEARCH_BACKEND == ELASTICSEARCH else DATABASE


def _engine():
    from marketplace.search.backends import engine  # imports the client only when configured

    return engine


def _engine_usable() -> bool:
    return configured_backend() == ELASTICSEARCH and time.monotonic() >= _engine_down_until


def _engine_failed(exc: Exception) -> None:
    global _engine_down_until
    _engine_down_until = time.monotonic() + ENGINE_RETRY_SECONDS
    log.warning("search engine unavailable, answering from the database: %s", exc)


def status() -> str:
    """For /healthz: the backend that answers now and, with an engine, its state."""
    if configured_backend() == DATABASE:
        return DATABASE
    global _engine_down_until
    if _engine().ping():
        _engine_down_until = 0.0
        return ELASTICSEARCH
    _engine_down_until = time.monotonic() + ENGINE_RETRY_SECONDS
    return f"{DATABASE} (fallback: {ELASTICSEARCH} unreachable)"


# --- Relevance cursors ---------------------------------------------------------------------


def _encode(kind: str, key: list) -> str:
    raw = json.dumps([f"RELEVANCE:{kind}", key], ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, kind: str) -> list:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, key = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, binascii.Error, TypeError, UnicodeDecodeError):
        raise DomainError(
            SearchError.INVALID_CURSOR, gettext("Con trỏ phân trang không hợp lệ."), "after"
        )
    if name != f"RELEVANCE:{kind}":
        raise DomainError(
            SearchError.INVALID_CURSOR,
            gettext("Con trỏ phân trang thuộc một cách sắp xếp khác."),
            "after",
        )
    # Only numbers reach the database or the engine: (rank, pk) or the engine's sort values.
    numbers = isinstance(key, list) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in key
    )
    if not numbers or len(key) != (2 if kind == DATABASE else 3):
        raise DomainError(
            SearchError.INVALID_CURSOR, gettext("Con trỏ phân trang không hợp lệ."), "after"
        )
    return key


# --- Searching -----------------------------------------------------------------------------


def browse_products(
    *,
    first: int,
    after: str | None = None,
    flt: listing.ProductFilter | None = None,
    sort: listing.Sort | None = None,
    search: str | None = None,
    base: QuerySet | None = None,
    descriptions: bool = False,
    cards: bool = False,
) -> listing.Page:
    """Published products (or `base`), filtered; with `search`, through search_products in
    relevance order unless `sort` is given. Without a search the default order is by name.

    The items are loaded for cards: without their descriptions unless `descriptions`; a
    listing (no search) with `cards` gives read-only cards (marketplace.catalog.cards) instead
    of model instances. The page's total_count is counted when first read."""
    listing.validate_page_size(first)
    options = {"flt": flt, "sort": sort, "base": base, "descriptions": descriptions}
    if search and search.strip():
        return search_products(search, first=first, after=after, **options)
    queryset = base if base is not None else Product.objects.published()
    queryset = listing.apply_filter(queryset, flt or listing.ProductFilter())
    page = listing.keyset_page(
        queryset,
        first=first,
        after=after,
        sort=sort or listing.Sort(),
        total=queryset.count,
        descriptions=descriptions,
        cards=cards,
    )
    page.facet_loader = lambda: facet_rules.database_facets(queryset)
    return page


def search_products(
    text: str | None,
    *,
    first: int,
    after: str | None = None,
    flt: listing.ProductFilter | None = None,
    sort: listing.Sort | None = None,
    base: QuerySet | None = None,
    descriptions: bool = False,
) -> listing.Page:
    """Products for a shopper's query: relevance order unless `sort` is given (see
    browse_products for `descriptions`).

    Any text is accepted; one that holds no word at all (only punctuation, say) lists like no
    search. `base` (a scoped queryset, e.g. a producer's own products) is only known to the
    database, and so are explicit sorts, so those always go to the database backend.

    On the database backend `total_count` of a search is capped at database.CANDIDATE_LIMIT
    (1000: read it as "1000+"), and relevance order pages through those best matches only;
    listings without a search keep their exact count.
    """
    listing.validate_page_size(first)
    flt = flt or listing.ProductFilter()
    if not query_tokens(text):
        return browse_products(
            first=first, after=after, flt=flt, sort=sort, base=base, descriptions=descriptions
        )
    plan = plan_query(text, database.SearchVocabulary())
    if sort is None and base is None and not plan.empty and _engine_usable():
        try:
            return _engine_page(plan, first, after, flt, descriptions)
        except DomainError:
            raise
        except Exception as exc:  # noqa: BLE001 - any engine failure: the database answers
            _engine_failed(exc)
    page = _database_page(plan, first, after, flt, sort, base, descriptions)
    if configured_backend() == ELASTICSEARCH and sort is None and base is None:
        page.backend = f"{DATABASE} (fallback)"
    return page


def _database_page(plan, first, after, flt, sort, base, descriptions) -> listing.Page:
    queryset = listing.apply_filter(base if base is not None else Product.objects.published(), flt)
    if sort is not None:
        # An explicit sort orders every match, not only the best; the count stays capped.
        candidates = database.matching(queryset, plan)
        page = listing.keyset_page(
            candidates,
            first=first,
            after=after,
            sort=sort,
            total=lambda: len(candidates.values_list("pk", flat=True)[: database.CANDIDATE_LIMIT]),
            descriptions=descriptions,
        )
        page.facet_loader = lambda: facet_rules.database_facets(candidates)
    else:
        within = None if base is None and flt == listing.ProductFilter() else queryset
        # Unscoped, the documents can apply the filter themselves (see candidates_sql).
        doc_filter = flt if base is None else None
        key = _decode(after, DATABASE) if after else None
        found = ranking.search_page(
            queryset.for_listing(descriptions=descriptions),
            plan,
            within=within,
            flt=doc_filter,
            after=key,
            limit=first + 1,
        )
        page = listing.Page(
            items=found.rows[:first],
            has_next=len(found.rows) > first,
            has_previous=bool(after),
            total=found.total,
            sort=None,
            cursor_of=lambda p: _encode(DATABASE, [p.search_rank, p.pk]),
            relaxed=found.relaxed,
        )

        # Only when the facets are asked for: the candidates again, inside the facet queries.
        def facets():
            if plan.empty:
                return facet_rules.database_facets(queryset.none())
            matched = RawSQL(*database.candidates_sql(plan, not found.relaxed, within, doc_filter))
            return facet_rules.database_facets(queryset.filter(pk__in=matched))

        page.facet_loader = facets
    _explain(page, plan)
    return page


def _explain(page: listing.Page, plan: QueryPlan) -> None:
    """What the page tells the shopper about the query: a correction, the shop words left out,
    and whether these are matches or only the closest products (some word matched nothing)."""
    page.suggestion = plan.suggestion
    page.ignored_words = plan.ignored
    page.relaxed = page.relaxed or bool(plan.unmatched and page.items)


def _engine_page(plan: QueryPlan, first, after, flt, descriptions) -> listing.Page:
    engine = _engine()
    key = _decode(after, ELASTICSEARCH) if after else None
    hits, total, found, relaxed = engine.search(plan.terms, flt, first, key)
    listed = Product.objects.published().for_listing(descriptions=descriptions)
    products = listed.in_bulk([pk for pk, _ in hits])
    sort_keys = {}
    rows = []
    for pk, sort_key in hits:
        if pk in products:  # the database is the truth: a stale hit is skipped
            sort_keys[pk] = sort_key
            rows.append(products[pk])

    def facets():
        try:
            return facet_rules.labelled(*engine.facet_counts(found))
        except Exception as exc:  # noqa: BLE001 - the database can count as well
            _engine_failed(exc)
            return facet_rules.database_facets(
                database.matching(listing.apply_filter(Product.objects.published(), flt), plan)
            )

    page = listing.Page(
        items=rows[:first],
        has_next=len(hits) > first,
        has_previous=bool(after),
        total=total,
        sort=None,
        backend=ELASTICSEARCH,
        cursor_of=lambda p: _encode(ELASTICSEARCH, sort_keys[p.pk]),
        facet_loader=facets,
        relaxed=relaxed,
    )
    _explain(page, plan)
    return page


def suggest(text: str | None, limit: int = 8) -> dict:
    """As-you-type: a few product names (and a correction) for the search box."""
    words = query_tokens(text)
    if not words:
        return {"query": text or "", "suggestions": [], "didYouMean": None}
    page = search_products(text, first=limit)
    return {
        "query": text,
        "suggestions": [
            {"name": p.name, "sku": p.sku, "slug": p.slug, "price": p.price} for p in page.items
        ],
        "didYouMean": page.suggestion,
    }


# --- Keeping the index fresh ---------------------------------------------------------------


def refresh_products(
    product_ids: Iterable[int], *, engine_refresh: bool = False
) -> Exception | None:
    """Rewrite the documents of these products now (database, and the engine if configured).

    Returns the engine's error when it could not take them (marketplace/search/tasks.py retries
    and then keeps them in the dead-letter log); the database documents are written regardless.
    """
    ids = set(product_ids)
    if not ids:
        return None
    products = list(indexable_products().filter(pk__in=ids))
    database.refresh_documents(products)
    database.forget_documents(ids - {p.pk for p in products})
    if configured_backend() != ELASTICSEARCH:
        return None
    searchable = [p for p in products if is_searchable(p)]
    gone = ids - {p.pk for p in searchable}
    try:
        _engine().upsert([engine_document(p) for p in searchable], gone, refresh=engine_refresh)
    except Exception as exc:  # noqa: BLE001 - retried, then logged; search_reindex catches up
        _engine_failed(exc)
        return exc
    return None


_bulk = threading.local()


@contextmanager
def indexing_paused():
    """For bulk loads and deletes: no per-row refresh; call reindex() (search_reindex) after."""
    _bulk.paused = True
    try:
        yield
    finally:
        _bulk.paused = False


def indexing_is_paused() -> bool:
    return getattr(_bulk, "paused", False)


def reindex(*, engine: bool | None = None, batch_size: int = 1000) -> dict[str, object]:
    """Rebuild every document; with the engine, a new index swapped in behind the alias."""
    report: dict[str, object] = {}
    began = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        database.clear_index()
        batch = []
        for product in indexable_products().order_by("pk").iterator(chunk_size=batch_size):
            batch.append(product)
            if len(batch) >= batch_size:
                database.refresh_documents(batch)
                batch = []
        database.refresh_documents(batch)
    report["database_documents"] = Product.objects.count()
    report["database_seconds"] = round(time.perf_counter() - started, 2)
    if engine if engine is not None else configured_backend() == ELASTICSEARCH:
        started = time.perf_counter()
        documents = (
            engine_document(p)
            for p in indexable_products().published().order_by("pk").iterator(chunk_size=batch_size)
        )
        index, count = _engine().rebuild(documents)
        report.update(engine_index=index, engine_documents=count)
        # The new index holds every product as of `began`: what failed before it is repaired.
        report["failures_repaired"] = IndexFailure.objects.filter(
            repaired_at__isnull=True, created_at__lt=began
        ).update(repaired_at=timezone.now())
        report["engine_seconds"] = round(time.perf_counter() - started, 2)
    return report

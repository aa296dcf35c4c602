"""Search: relevance per query and latency on synthetic catalogs, for both backends.

Sizes come from BENCH_SEARCH_SIZES (default "1000,10000"; add 100000 for the full run, which
takes several minutes to generate and index). The engine backend is measured when SEARCH_URL
points at a live node. Synthetic products (SKU prefix BENCH-) are removed at the end.
Targets on 2 cores at 100k: database backend on PostgreSQL p95 < 50 ms, engine p95 < 30 ms. The
database backend ranks and counts at most its CANDIDATE_LIMIT best matches (totalCount "1000+").
"""

import os
import random
import time
from contextlib import nullcontext

from django.db import transaction
from django.db.models import Count
from django.test import override_settings

from bench.timing import measure, row, summary
from marketplace.catalog.listing import ProductFilter
from marketplace.catalog.models import Product, ProductImage, ProductStatus, Stock
from marketplace.search import services
from marketplace.search.services import browse_products
from marketplace.text import fold, slugify_vi
from producers.models import Producer
from tests.marketplace.search import relevance

# (what the shopper typed, its kind): the latency is reported per kind and over all of them.
LATENCY_QUERIES = [
    ("nuoc mam", "no marks"),
    ("thot not", "no marks"),
    ("tinh dau tram", "no marks"),
    ("NƯỚC MẮM NHĨ", "marks"),
    ("banh trnag", "typo"),
    ("mat o", "as you type"),
    ("kho ca loc", "synonym"),
    ("tieu phu quoc", "place"),
    ("đặc sản Phú Quốc", "place"),
    ("tri ton", "place"),
    # how shoppers really type (issue 17): Telex, VNI, joined, English, shop words, gift place
    ("nuowcs mawms", "telex / vni"),
    ("ma8m1", "telex / vni"),
    ("tieuphuquoc", "joined"),
    ("fish sauce", "english"),
    ("hũ mắm thái 1kg", "shop words"),
    ("quà huyện Thoại Sơn", "place"),
    ("bánh pía", "relaxed"),  # one word matches nothing
]
# The same search narrowed as the storefront's filters do (see _filters): (query, kind, filter).
FILTERED_QUERIES = [
    ("nuoc mam", "filtered: category"),
    ("mat ong", "filtered: ward"),
    ("tieu", "filtered: price"),
    ("kho", "filtered: category + price"),
]
# Rounds over LATENCY_QUERIES per catalog size (each query this many times).
REPEATS = int(os.environ.get("BENCH_SEARCH_REPEATS", "10"))
EXTRAS = ["loại 1", "đặc biệt", "hộp quà", "túi 500g", "hũ 1kg", "nguyên chất", "truyền thống"]
PLACES = ["Châu Đốc", "Phú Quốc", "Tri Tôn", "Tịnh Biên", "Hà Tiên", "Tân Châu", "Chợ Mới"]


def _engine_context():
    if not os.environ.get("SEARCH_URL"):
        return None
    context = override_settings(SEARCH_BACKEND="elasticsearch", SEARCH_INDEX_PREFIX="ocop-bench")
    with context:
        from marketplace.search.backends import engine

        return context if engine.ping() else None


def grow_catalog(target: int, rng: random.Random) -> None:
    """Add BENCH- products (names recombined from the sample's kinds) up to `target` in all,
    each with its model's pictures (the same files), as a real catalogue has."""
    samples = list(
        Product.objects.published().select_related("certificate").prefetch_related("images")
    )
    producers = list(Producer.objects.all())
    have = Product.objects.count()
    batch = []
    for n in range(have, target):
        base = rng.choice(samples)
        name = f"{base.name} {rng.choice(EXTRAS)} {rng.choice(PLACES)}"
        sku = f"BENCH-{n:07d}"
        batch.append(
            Product(
                sku=sku,
                name=name,
                slug=f"{slugify_vi(name)[:180]}-{n}",
                sort_name=fold(name),
                description=base.description,
                producer=rng.choice(producers),
                certificate=base.certificate,
                product_set_id=base.product_set_id,
                unit=base.unit,
                net_weight_g=base.net_weight_g,
                price=rng.randrange(20, 2000) * 1000,
                status=ProductStatus.PUBLISHED,
            )
        )
        batch[-1].model = base
        if len(batch) == 2000:
            _save(batch)
            batch = []
    _save(batch)


def remove_grown() -> None:
    with services.indexing_paused():
        Product.objects.filter(sku__startswith="BENCH-").delete()


def _save(batch) -> None:
    if not batch:
        return
    with transaction.atomic():
        created = Product.objects.bulk_create(batch)
        Stock.objects.bulk_create([Stock(product=p, quantity=p.pk % 7) for p in created])
        ProductImage.objects.bulk_create(
            ProductImage(
                product=product,
                file=image.file.name,
                width=image.width,
                height=image.height,
                alt=image.alt,
                position=image.position,
            )
            for product in created
            for image in product.model.images.all()
        )


def _filters() -> dict[str, ProductFilter]:
    """A filter per filtered kind, from the catalogue itself: its largest product set and
    ward, and a price band holding about a third of the products."""
    published = Product.objects.published()
    top_set = (
        published.values("product_set_id")
        .annotate(n=Count("pk"))
        .order_by("-n")[0]["product_set_id"]
    )
    top_ward = (published.values("producer__ward_id").annotate(n=Count("pk")).order_by("-n")[0])[
        "producer__ward_id"
    ]
    band = {"price_min": 50_000, "price_max": 300_000}
    return {
        "filtered: category": ProductFilter(ocop_sets=[top_set]),
        "filtered: ward": ProductFilter(ward_codes=[top_ward]),
        "filtered: price": ProductFilter(**band),
        "filtered: category + price": ProductFilter(ocop_sets=[top_set], **band),
    }


def _latency(label: str) -> None:
    """A whole search page as the API builds it: plan, rank, 20 products with their relations.

    Rounds over every query (so a slow one cannot hide in the warm-up), then p50/p95 over all
    pages, per kind of query, and how much of the time was spent waiting on the database.
    The filtered searches are reported apart from the overall figure, which stays comparable
    with earlier runs.
    """
    from django.db import connection

    waited = [0.0]

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            waited[0] += time.perf_counter() - started

    filters = _filters()
    queries = [(q, kind, None) for q, kind in LATENCY_QUERIES]
    queries += [(q, kind, filters[kind]) for q, kind in FILTERED_QUERIES]

    def one_page(query: str, flt: ProductFilter | None):
        page = browse_products(first=20, search=query, flt=flt)
        return [p.name for p in page.items], page.total_count

    for query, _, flt in queries:  # warm-up
        one_page(query, flt)
    samples: dict[str, list[float]] = {}
    total = database_seconds = 0.0
    with connection.execute_wrapper(timed):
        for _ in range(REPEATS):
            for query, kind, flt in queries:
                waited[0] = 0.0
                started = time.perf_counter()
                one_page(query, flt)
                elapsed = time.perf_counter() - started
                samples.setdefault(kind, []).append(elapsed * 1000)
                if flt is None:
                    total += elapsed
                    database_seconds += waited[0]
    plain = {kind for _, kind in LATENCY_QUERIES}
    everything = [ms for kind in plain for ms in samples[kind]]
    share = f"(database {database_seconds / total:.0%} of the time)" if total else ""
    print(row(label, summary(everything), share))
    for kind, kind_samples in samples.items():
        print(row(f"  {kind}", summary(kind_samples)))


def _engine_latency() -> None:
    """The engine's request alone (no database), to tell its share of a page."""
    from marketplace.search.analysis import plan_query
    from marketplace.search.backends import database, engine

    plans = [plan_query(q, database.SearchVocabulary()).terms for q, _ in LATENCY_QUERIES]
    queries = iter(plans * 1000)

    def one_request():
        return engine.search(next(queries), ProductFilter(), 20, None)

    print(row("  of which the engine request alone", measure(one_request, repeat=60)))


def _relevance(label: str) -> None:
    judged = relevance.judge(
        lambda q: [p.sku for p in browse_products(first=10, search=q).items], relevance.ALL_QUERIES
    )
    print(f"### relevance, {label}")
    print(relevance.table(judged))
    print(relevance.by_kind(judged))


def run() -> None:
    from django.db import connection

    engine = _engine_context()
    print(f"database backend on {connection.vendor}; engine: {'yes' if engine else 'no'}\n")
    _relevance(f"database backend ({connection.vendor})")
    if engine:
        with engine:
            services.reindex(engine=True)
            _relevance("elasticsearch backend")
    print()

    sizes = [int(s) for s in os.environ.get("BENCH_SEARCH_SIZES", "1000,10000").split(",")]
    rng = random.Random(91)
    try:
        for size in sizes:
            started = time.perf_counter()
            with services.indexing_paused():
                grow_catalog(size, rng)
            generated = time.perf_counter() - started
            with engine or nullcontext():
                report = services.reindex(engine=bool(engine))
            built = f"database index {report['database_seconds']:.1f} s"
            if engine:
                built += f", engine index {report['engine_seconds']:.1f} s"
            print(f"### {size:,} products (generated in {generated:.1f} s; {built})")
            # The machine's load beside the figures: on shared cores, they move with it.
            print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
            _latency(f"database ({connection.vendor}) search, first 20")
            if engine:
                with engine:
                    _latency("elasticsearch search, first 20")
                    _engine_latency()
    finally:
        remove_grown()
        services.reindex(engine=False)
        if engine:
            with engine:
                from marketplace.search.backends import engine as backend

                backend.drop_all()

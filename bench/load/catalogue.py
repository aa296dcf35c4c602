"""The catalogue the load runs on: the sample plus generated products, and what shoppers ask
for from it (pages, trace links, products to buy)."""

import random

from bench.load.driver import Catalogue


def prepare(products: int) -> Catalogue:
    """Migrate, load the sample, grow it to `products` published products, index them."""
    from django.core.management import call_command

    from bench.search import grow_catalog
    from fixtures.loader import load_sample_catalog
    from marketplace.catalog.models import Product, Stock

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    load_sample_catalog(images=False)
    grow_catalog(products, random.Random(11))
    call_command("search_reindex", "--database-only", verbosity=0)
    buy = Product.objects.published().filter(sku__startswith="BENCH-").order_by("pk")[:40]
    Stock.objects.filter(product__in=list(buy)).update(quantity=10**6)
    return read(buy)


def read(buy) -> Catalogue:
    """What shoppers ask for; `buy`: the products checkouts pick from (stock for all of them)."""
    from marketplace.catalog.models import Product
    from producers.models import Producer
    from traceability.digital_link import path_for
    from traceability.models import Batch

    published = Product.objects.published()
    paths = ["/", "/san-pham/", "/san-pham/?page=2", "/san-pham/?page=3"]
    paths += [f"/san-pham/{slug}/" for slug in published.values_list("slug", flat=True)[:400]]
    paths += [f"/nha-san-xuat/{s}/" for s in Producer.objects.values_list("slug", flat=True)[:40]]
    sets = published.values_list("product_set__code", flat=True).distinct()
    paths += [f"/danh-muc/{code}/" for code in sets if code]
    batches = (
        Batch.objects.select_related("product")
        .filter(product__gtin__isnull=False)
        .exclude(product__gtin="")[:100]
    )
    return Catalogue(
        paths=paths,
        trace_paths=[path_for(b) for b in batches] or ["/"],
        buy=[(p.sku, f"/san-pham/{p.slug}/") for p in buy],
    )

"""Browsing: the GraphQL product page and storefront pages, server time, queries and bytes.

The GraphQL page is measured on the sample catalogue and at BENCH_BROWSE_SIZE products (default
10,000; synthetic BENCH- products with their model's pictures, removed at the end), with and
without totalCount (a listing counts its rows only when asked). Target (issue 16):
products(first: 100) p50 ≤ 20 ms at 10k.

The storefront's home and listing are measured at both sizes too: their catalog-wide counts are
shared (storefront.selectors.navigation), so the first request after a change (cold) pays for
them and the rest (p50) do not.
"""

import os
import random
import time
from contextlib import contextmanager

from django.db import connection
from django.test import Client

from bench.search import grow_catalog, remove_grown
from bench.timing import measure, row
from marketplace.catalog.models import Product
from storefront.selectors import navigation

NODE = """sku name slug ocopStars price { amount currency } stock status thumbnailUrl(size: 320)
  ocopCertificate { number expiresOn valid } producer { name kind ward { code name } }"""
PRODUCTS_QUERY = f"{{ products(first: 100) {{ totalCount edges {{ node {{ {NODE} }} }} }} }}"
UNCOUNTED_QUERY = f"{{ products(first: 100) {{ edges {{ node {{ {NODE} }} }} }} }}"
SIZE = int(os.environ.get("BENCH_BROWSE_SIZE", "10000"))


@contextmanager
def count_queries():
    """Count SQL statements (request_started resets Django's own query log, so wrap instead)."""
    executed = []

    def wrapper(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield executed


def _graphql_page(client: Client, query: str, label: str) -> None:
    def graphql():
        response = client.post("/graphql/", {"query": query}, content_type="application/json")
        assert response.status_code == 200 and "errors" not in response.json()
        return response

    with count_queries() as queries:
        size = len(graphql().content)
    print(row(label, measure(graphql), f"  {len(queries)} queries, {size / 1024:.0f} KiB"))


def run() -> None:
    client = Client()
    count = Product.objects.count()
    _graphql_page(client, PRODUCTS_QUERY, f"graphql products(first: 100), {count} products")

    _storefront_pages(client, "")

    if SIZE > count:
        grow_catalog(SIZE, random.Random(16))
        try:
            print(f"at {SIZE:,} products (target p50 ≤ 20 ms):")
            _graphql_page(client, PRODUCTS_QUERY, "  graphql products(first: 100)")
            _graphql_page(client, UNCOUNTED_QUERY, "  the same without totalCount")
            _storefront_pages(client, "  ")
        finally:
            remove_grown()


def _storefront_pages(client: Client, indent: str) -> None:
    for label, path in [("storefront home", "/"), ("storefront listing", "/san-pham/")]:

        def page(path=path):
            response = client.get(path)
            assert response.status_code == 200
            return response

        # Cold as after a catalog change (growing it wrote in bulk, which sends no row signals).
        navigation.changed()
        started = time.perf_counter()
        with count_queries() as queries:
            size = len(page().content)
        cold = (time.perf_counter() - started) * 1000
        print(
            row(
                indent + label,
                measure(page, repeat=30),
                f"  cold {cold:.0f} ms, {len(queries)} queries, {size / 1024:.1f} KiB HTML",
            )
        )

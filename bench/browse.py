"""Browsing: the GraphQL product page and storefront pages, server time, queries and bytes."""

from contextlib import contextmanager

from django.db import connection
from django.test import Client

from bench.timing import measure, row

PRODUCTS_QUERY = """{ products(first: 100) { totalCount edges { node {
  sku name slug ocopStars price { amount currency } stock status thumbnailUrl(size: 320)
  ocopCertificate { number expiresOn valid } producer { name kind ward { code name } } } } } }"""


@contextmanager
def count_queries():
    """Count SQL statements (request_started resets Django's own query log, so wrap instead)."""
    executed = []

    def wrapper(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield executed


def run() -> None:
    client = Client()

    def graphql():
        response = client.post(
            "/graphql/", {"query": PRODUCTS_QUERY}, content_type="application/json"
        )
        assert response.status_code == 200 and "errors" not in response.json()
        return response

    with count_queries() as queries:
        size = len(graphql().content)
    print(
        row(
            "graphql products(first: 100)",
            measure(graphql),
            f"  {len(queries)} queries, {size / 1024:.0f} KiB",
        )
    )

    for label, path in [("storefront home", "/"), ("storefront listing", "/san-pham/")]:

        def page(path=path):
            response = client.get(path)
            assert response.status_code == 200
            return response

        with count_queries() as queries:
            size = len(page().content)
        print(
            row(
                label,
                measure(page, repeat=30),
                f"  {len(queries)} queries, {size / 1024:.1f} KiB HTML",
            )
        )

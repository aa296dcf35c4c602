"""The database backend's answer to a search: candidates, their rank and one page, in one
statement.

The candidates (backends.database.candidates_sql) stay in the database: ranking them, counting
them and cutting the page happen in the same round trip, so neither a thousand ids nor the
relaxed retry travel between Python and the database. The rank is the same SQL expression on
SQLite and PostgreSQL, so both order results alike.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from marketplace.search.analysis import QueryPlan, Term
from marketplace.search.backends.database import (
    EXACT,
    RANK_SCALE,
    any_of,
    candidates_sql,
    modes,
    reading,
    term_options,
)
from marketplace.search.documents import FIELD_WEIGHTS


@dataclass
class Ranked:
    rows: list  # the page's products, each with its integer `search_rank`
    total: int  # how many candidates (at most CANDIDATE_LIMIT: read the limit as "or more")
    relaxed: bool  # no product matches every word: these match some


def _position() -> str:
    return (
        "instr({column}, %s) > 0" if connection.vendor == "sqlite" else "strpos({column}, %s) > 0"
    )


def _term_score(term: Term, params: list, doc: str) -> str:
    weights = dict(FIELD_WEIGHTS)
    if term.place:  # a place named in the query: its products as high as the name says it
        weights["place"] = weights["name"]
    by_quality: dict[int, list[str]] = {}
    for quality, word, prefix in term_options(term):
        by_quality.setdefault(quality, []).append(f" {word}" if prefix else f" {word} ")
    whens = sorted(
        (
            (weight * quality * term.size, column, fragments)
            for column, weight in weights.items()
            for quality, fragments in by_quality.items()
        ),
        key=lambda item: -item[0],
    )
    cases = [
        f"WHEN {any_of(_position(), f'{doc}.{column}', fragments, params)} THEN {value}"
        for value, column, fragments in whens
    ]
    return f"CASE {' '.join(cases)} ELSE 0 END"


def _rank_sql(plan: QueryPlan, doc: str) -> tuple[str, list]:
    """An integer rank per document `doc`: weighted matches * RANK_SCALE - name length."""
    params: list = []
    parts = [_term_score(t, params, doc) for t in plan.terms]
    if len(plan.terms) > 1 and all(t.exact for t in plan.terms):
        phrase = " ".join(t.word for t in plan.terms)
        condition = any_of(_position(), f"{doc}.name", [f" {phrase} "], params)
        parts.append(f"CASE WHEN {condition} THEN {EXACT * 8} ELSE 0 END")
    return f"({' + '.join(parts)}) * {RANK_SCALE} - {doc}.name_length", params


def _found_sql(plan: QueryPlan, within: QuerySet | None, flt) -> tuple[list[str], list]:
    """The CTEs naming the candidates `found (product_id, relaxed)`: every word or, only when
    none matches them all, any word. PostgreSQL runs the relaxed look-up only then (a one-time
    filter on the strict set); both are materialised once for the count and the page."""
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    strict, params = candidates_sql(plan, True, within, flt)
    ctes = [f"strict AS {materialized}({strict})"]
    union = "SELECT product_id, 0 AS relaxed FROM strict"
    if len(modes(plan)) > 1:
        relaxed, relaxed_params = candidates_sql(plan, False, within, flt)
        ctes.append(
            f"loose AS {materialized}(SELECT product_id FROM ({relaxed}) AS l "
            "WHERE NOT EXISTS (SELECT 1 FROM strict))"
        )
        params += relaxed_params
        union += " UNION ALL SELECT product_id, 1 FROM loose"
    ctes.append(f"found AS {materialized}({union})")
    return ctes, params


def search_page(
    queryset: QuerySet,
    plan: QueryPlan,
    *,
    within: QuerySet | None,
    flt=None,
    after: list[int] | None,
    limit: int,
) -> Ranked:
    """The best `limit` candidates of the query (see candidates_sql for `within` and `flt`)
    after the keyset `after` = [rank, id]: higher rank first, then lower id; fetched from
    `queryset` (a listing's, see for_listing), with their integer `search_rank`.

    The candidates are ranked on the documents alone, then only the page is fetched with its
    relations, by primary key: one statement joining both costs more to plan (milliseconds for
    the joins and the rank twice over) than either costs to run.
    """
    if plan.empty:
        return Ranked([], 0, False)
    ctes, params = _found_sql(plan, within, flt)
    rank, rank_params = _rank_sql(plan, "r")
    ranked = (
        f"SELECT r.product_id, {rank} AS search_rank FROM search_searchdocument r "
        "WHERE r.product_id IN (SELECT product_id FROM found)"
    )
    params += rank_params
    if after:
        ranked = (
            f"SELECT * FROM ({ranked}) AS ranked "
            "WHERE search_rank < %s OR (search_rank = %s AND product_id > %s)"
        )
        params += [after[0], after[0], after[1]]
    # One row even for an empty page: the count and the mode come with it.
    sql = (
        f"WITH {', '.join(ctes)} "
        "SELECT s.total, s.relaxed, p.product_id, p.search_rank FROM "
        "(SELECT count(*) AS total, max(relaxed) AS relaxed FROM found) AS s LEFT JOIN "
        f"({ranked} ORDER BY search_rank DESC, product_id LIMIT %s) AS p ON 1 = 1 "
        "ORDER BY p.search_rank DESC, p.product_id"
    )
    with reading().cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        found = cursor.fetchall()
    total, relaxed = found[0][0], bool(found[0][1])
    order = [(pk, search_rank) for _, _, pk, search_rank in found if pk is not None]
    # No ORDER BY: the rank's order is kept below.
    products = queryset.order_by().in_bulk([pk for pk, _ in order])
    rows = []
    for pk, search_rank in order:
        if pk in products:  # the products decide: a stale document never shows a hidden one
            products[pk].search_rank = search_rank
            rows.append(products[pk])
    return Ranked(rows, total, relaxed)

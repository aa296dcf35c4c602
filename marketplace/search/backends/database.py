"""The zero-setup backend: folded documents in the database, ranked by weighted field matches.

Candidates come from SQLite FTS5 or, on PostgreSQL, from pg_trgm GIN indexes on the folded
name and body, at most CANDIDATE_LIMIT of them, name matches first; the rank is the same SQL
expression on both, so both databases order results alike.
"""

from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL

from marketplace.catalog.models import Product
from marketplace.search.analysis import QueryPlan, Term
from marketplace.search.documents import FIELD_WEIGHTS, accented_words, database_row
from marketplace.search.models import SearchDocument, SearchWord

# How good a match of one query word is, before the field's weight.
EXACT, FUZZY, PREFIX = 10, 7, 5
# A synonym, the word as typed before decoding, or a ward of a named old district: less than the
# words the shopper typed, more than a guess at the start of a word.
SYNONYM = 6
# Columns a relaxed search (no product has every word) may match in: a word found only in a
# description says too little on its own ("khô cá" is not "Giỏ đan lục bình ... phơi khô").
RELAXED_COLUMNS = ("name", "producer", "place", "product_set")
# The rank is score * RANK_SCALE - name length: shorter names win ties ("Tiêu sọ" before
# "Tiêu sọ Phú Quốc loại đặc biệt"), and it stays an integer for exact keyset cursors.
RANK_SCALE = 1000
# ranked_page() joins the documents once under Django's alias for the table; the rank reads it.
_DOC = '"search_searchdocument"'
FTS_COLUMNS = ("name", "producer", "place", "product_set", "description")
# A search ranks, pages through and counts at most this many matches (the best tiers first):
# past it, totalCount says CANDIDATE_LIMIT, i.e. "1000+". Ranking and counting every match of
# a common word costs hundreds of milliseconds at 100k products.
CANDIDATE_LIMIT = 1000


class SearchVocabulary:
    """Folded words of all documents (SearchWord), for typo and prefix resolution.

    Plain SQL: a query word brings hundreds of one-edit neighbours, and building that IN list
    through the ORM costs more than the look-up itself.
    """

    def known(self, words: set[str]) -> dict[str, tuple[str, int]]:
        """Known words among these: word → (accented spelling, how often the catalogue uses it)."""
        words = [w for w in words if len(w) <= 60]
        if not words:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word, display, frequency FROM search_searchword "
                f"WHERE word IN ({', '.join(['%s'] * len(words))})",
                words,
            )
            return {word: (display, frequency) for word, display, frequency in cursor.fetchall()}

    def has_prefix(self, start: str) -> bool:
        # A range, not LIKE, so the primary key index answers on every database.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM search_searchword WHERE word >= %s AND word < %s LIMIT 1",
                [start, start + "~"],
            )
            return cursor.fetchone() is not None


def refresh_documents(products) -> None:
    """Write the folded documents of these products (select_related as indexable_products)."""
    products = list(products)
    if not products:
        return
    rows = [SearchDocument(product=p, **database_row(p)) for p in products]
    words: dict[str, str] = {}
    counts: dict[str, int] = {}
    for product in products:
        for word, display in accented_words(product).items():
            words.setdefault(word, display)
            counts[word] = counts.get(word, 0) + 1
    with transaction.atomic():
        SearchDocument.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["product"],
            update_fields=[
                "name",
                "producer",
                "place",
                "product_set",
                "description",
                "body",
                "name_length",
                "searchable",
                "updated_at",
            ],
        )
        _add_words([(w, d[:60], counts[w]) for w, d in words.items()])
        if connection.vendor == "sqlite":
            _write_fts([(p.pk, row) for p, row in zip(products, rows, strict=True)])


def _add_words(rows) -> None:
    """New words in, known words counted once more (both databases speak ON CONFLICT)."""
    statement = (
        "INSERT INTO search_searchword (word, display, frequency) VALUES {} "
        "ON CONFLICT (word) DO UPDATE SET frequency = "
        "search_searchword.frequency + excluded.frequency"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 300):
            chunk = rows[start : start + 300]
            cursor.execute(
                statement.format(", ".join(["(%s, %s, %s)"] * len(chunk))),
                [value for row in chunk for value in row],
            )


_FTS_INSERT = (
    f"INSERT INTO search_fts (rowid, {', '.join(FTS_COLUMNS)}) "
    f"VALUES (%s{', %s' * len(FTS_COLUMNS)})"
)


def _write_fts(entries) -> None:
    with connection.cursor() as cursor:
        cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(pk,) for pk, _ in entries])
        cursor.executemany(
            _FTS_INSERT, [(pk, *(getattr(row, c) for c in FTS_COLUMNS)) for pk, row in entries]
        )


def forget_documents(product_ids) -> None:
    """Rows of deleted products (their SearchDocument goes by cascade)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM search_fts WHERE rowid = %s", [(pk,) for pk in product_ids]
            )


def clear_index() -> None:
    """Before a full rebuild: drop every document and word."""
    SearchDocument.objects.all().delete()
    SearchWord.objects.all().delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")


def _options(term: Term) -> list[tuple[int, str, bool]]:
    """(quality, folded word or phrase, is a prefix) for everything that may stand for a term."""
    found = [(EXACT, term.word, False)] if term.exact else []
    found += [(FUZZY, w, False) for w in term.fuzzy]
    if term.prefix:
        found.append((PREFIX, term.word, True))
    found += [(SYNONYM, w, False) for w in (*term.synonyms, *term.alternatives, *term.wards)]
    return found


def _fts_expression(terms: list[Term], every: bool) -> str:
    groups = []
    for term in terms:
        options = [f'"{w}"*' if prefix else f'"{w}"' for _, w, prefix in _options(term)]
        groups.append(f"({' OR '.join(options)})")
    return f" {'AND' if every else 'OR'} ".join(groups)


def _any_of(template: str, column: str, fragments: list[str], params: list) -> str:
    params.extend(fragments)
    return "(" + " OR ".join(template.format(column=column) for _ in fragments) + ")"


def _fragments(term: Term) -> list[str]:
    """What finds the term in a padded field: a prefix " wor" already finds " word "."""
    return [f" {w}" if prefix else f" {w} " for _, w, prefix in _options(term)]


def _where(terms: list[Term], every: bool, column: str | None) -> tuple[str, list]:
    """PostgreSQL: LIKE on the folded text of document `d`, which a pg_trgm GIN index answers."""
    params: list = []
    groups = [
        _any_of("d.{column} LIKE %s", column or "body", [f"%{f}%" for f in _fragments(t)], params)
        for t in terms
    ]
    return f" {'AND' if every else 'OR'} ".join(groups), params


def _relaxed_where(terms: list[Term]) -> tuple[str, list]:
    """PostgreSQL, any word outside the description: the indexed body narrows, columns decide."""
    anywhere, params = _where(terms, False, None)
    columns = []
    for column in RELAXED_COLUMNS:
        where, more = _where(terms, False, column)
        columns.append(f"({where})")
        params += more
    return f"({anywhere}) AND ({' OR '.join(columns)})", params


def _match(terms: list[Term], every: bool, column: str | None = None) -> RawSQL:
    """Ids of the documents matching the terms in `column` (None: in any field; in any field
    but the description when not `every`)."""
    if connection.vendor == "sqlite":
        expression = _fts_expression(terms, every)
        if column:
            expression = f"{column} : ({expression})"
        elif not every:
            expression = f"{{{' '.join(RELAXED_COLUMNS)}}} : ({expression})"
        return RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [expression])
    where, params = _where(terms, every, column) if every or column else _relaxed_where(terms)
    return RawSQL(f"SELECT d.product_id FROM search_searchdocument d WHERE {where}", params)


def _modes(plan: QueryPlan) -> tuple[bool, ...]:
    """Every word must match or, when no product has them all, any word."""
    return (True, False) if len(plan.terms) > 1 else (True,)


def _matches(plan: QueryPlan, every: bool, within: QuerySet | None) -> list[int]:
    """Up to CANDIDATE_LIMIT matching ids: those matching in the name first (a name match is
    what ranks highest), each group in id order, so every page of a search sees the same set."""
    if within is None and connection.vendor == "postgresql":
        # Every published product: the documents alone answer, without joining the products,
        # and when the name tier fills the set the rest is never scanned (Append runs its
        # parts in turn and the outer LIMIT stops it).
        in_name, name_params = _where(plan.terms, every, "name")
        anywhere, params = _where(plan.terms, True, None) if every else _relaxed_where(plan.terms)
        tiers = (
            f"(SELECT d.product_id FROM search_searchdocument d WHERE d.searchable AND {in_name} "
            "ORDER BY d.product_id LIMIT %s) UNION ALL "
            f"(SELECT d.product_id FROM search_searchdocument d WHERE d.searchable AND {anywhere} "
            f"AND NOT ({in_name}) ORDER BY d.product_id LIMIT %s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT product_id FROM ({tiers}) AS tiers LIMIT %s",
                [*name_params, CANDIDATE_LIMIT, *params, *name_params, CANDIDATE_LIMIT]
                + [CANDIDATE_LIMIT],
            )
            return [pk for (pk,) in cursor.fetchall()]
    queryset = within if within is not None else Product.objects.published()
    in_name = Q(pk__in=_match(plan.terms, every, "name"))
    matched = queryset.filter(pk__in=_match(plan.terms, every)).annotate(
        in_name=ExpressionWrapper(in_name, output_field=BooleanField())
    )
    return list(matched.order_by("-in_name", "pk").values_list("pk", flat=True)[:CANDIDATE_LIMIT])


def candidate_ids(plan: QueryPlan, within: QuerySet | None = None) -> tuple[list[int], bool]:
    """At most CANDIDATE_LIMIT ids of products matching the query, name matches first, and
    whether the match was relaxed.

    `within`: a filtered or scoped queryset of products; None means every published one.
    Only these candidates are ranked and counted, so a search costs about the same at 1k or
    100k products. Fewer ids than CANDIDATE_LIMIT means every match is here. Products
    matching every word or, when none does (relaxed), any word outside the description.
    """
    if plan.empty:
        return [], False
    for every in _modes(plan):
        found = _matches(plan, every, within)
        if found:
            return found, not every
    return [], False


def matching(queryset: QuerySet, plan: QueryPlan) -> QuerySet:
    """Every product matching the query (not bounded): for explicit sorts and the engine's
    facet fallback."""
    if plan.empty:
        return queryset.none()
    matched = queryset.filter(pk__in=_match(plan.terms, every=True))
    if len(plan.terms) > 1 and not matched.exists():
        matched = queryset.filter(pk__in=_match(plan.terms, every=False))
    return matched


def _position() -> str:
    return (
        "instr({column}, %s) > 0" if connection.vendor == "sqlite" else "strpos({column}, %s) > 0"
    )


def _term_score(term: Term, params: list, doc: str) -> str:
    weights = dict(FIELD_WEIGHTS)
    if term.place:  # a place named in the query: its products as high as the name says it
        weights["place"] = weights["name"]
    by_quality: dict[int, list[str]] = {}
    for quality, word, prefix in _options(term):
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
        f"WHEN {_any_of(_position(), f'{doc}.{column}', fragments, params)} THEN {value}"
        for value, column, fragments in whens
    ]
    return f"CASE {' '.join(cases)} ELSE 0 END"


def _rank_sql(plan: QueryPlan, doc: str) -> tuple[str, list]:
    """An integer rank per document `doc`: weighted matches * RANK_SCALE - name length."""
    params: list = []
    parts = [_term_score(t, params, doc) for t in plan.terms]
    if len(plan.terms) > 1 and all(t.exact for t in plan.terms):
        phrase = " ".join(t.word for t in plan.terms)
        condition = _any_of(_position(), f"{doc}.name", [f" {phrase} "], params)
        parts.append(f"CASE WHEN {condition} THEN {EXACT * 8} ELSE 0 END")
    return f"({' + '.join(parts)}) * {RANK_SCALE} - {doc}.name_length", params


def ranked_page(
    queryset: QuerySet, ids: list[int], plan: QueryPlan, *, after: list[int] | None, limit: int
) -> list:
    """The best `limit` of these products (for listing, with their integer `search_rank`),
    after the keyset `after` = [rank, id]: higher rank first, then lower id. One query.

    The candidates are ranked on the documents alone (as `r`): with the products joined in,
    PostgreSQL scans the whole product table against the id list. Only the page is joined.
    """
    if not ids:
        return []
    rank, rank_params = _rank_sql(plan, "r")
    where = f"r.product_id IN ({', '.join(['%s'] * len(ids))})"
    params = list(ids)
    if after:
        where += f" AND ({rank} < %s OR ({rank} = %s AND r.product_id > %s))"
        params += [*rank_params, after[0], *rank_params, after[0], after[1]]
    best = (
        f"SELECT r.product_id FROM search_searchdocument r WHERE {where} "
        f"ORDER BY {rank} DESC, r.product_id LIMIT %s"
    )
    # PostgreSQL: ARRAY(...) ranks once, then the page is fetched by primary key; written as
    # IN (subquery) it would hash the page and scan every product.
    template = '"catalog_product"."id" ' + (
        "= ANY(ARRAY({}))" if connection.vendor == "postgresql" else "IN ({})"
    )
    chosen = RawSQL(
        template.format(best), [*params, *rank_params, limit], output_field=BooleanField()
    )
    page_rank, page_params = _rank_sql(plan, _DOC)
    rows = (
        queryset.for_listing()
        .filter(chosen, search_document__isnull=False)  # the join the rank reads
        .annotate(search_rank=RawSQL(page_rank, page_params, output_field=IntegerField()))
        .order_by("-search_rank", "pk")
    )
    return list(rows)

"""The zero-setup backend: folded documents in the database, ranked by weighted field matches.

Candidates come from SQLite FTS5 or, on PostgreSQL, from GIN-indexed tsvector columns of the
folded document, at most CANDIDATE_LIMIT of them, name matches first; the rank is the same SQL
expression on both, so both databases order results alike.
"""

from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.db.models.expressions import RawSQL

from marketplace.catalog.models import Product
from marketplace.search.analysis import QueryPlan, Term, tokens
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
FTS_COLUMNS = ("name", "producer", "place", "product_set", "description")
# A search ranks, pages through and counts at most this many matches (the best tiers first):
# past it, totalCount says CANDIDATE_LIMIT, i.e. "1000+". Ranking and counting every match of
# a common word costs hundreds of milliseconds at 100k products.
CANDIDATE_LIMIT = 1000


def _in(values: list) -> str:
    """Membership in a long list of values: one array parameter on PostgreSQL (a thousand
    placeholders cost more to send and plan than the look-up itself), placeholders on SQLite."""
    return (
        "= ANY(%s)"
        if connection.vendor == "postgresql"
        else f"IN ({', '.join(['%s'] * len(values))})"
    )


def _in_params(values: list) -> list:
    return [list(values)] if connection.vendor == "postgresql" else list(values)


class SearchVocabulary:
    """Folded words of all documents (SearchWord), for typo and prefix resolution.

    Plain SQL: a query word brings hundreds of one-edit neighbours, and building that IN list
    through the ORM costs more than the look-up itself (see _in).
    """

    def known(self, words: set[str]) -> dict[str, tuple[str, int]]:
        """Known words among these: word → (accented spelling, how often the catalogue uses it)."""
        words = [w for w in words if len(w) <= 60]
        if not words:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT word, display, frequency FROM search_searchword WHERE word {_in(words)}",
                _in_params(words),
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


def _finding(term: Term) -> list[tuple[str, bool]]:
    """The options that can find a document, without those another one already finds: " word"
    (as you type) finds " word ", and "ho tieu" is found by "tieu". Each is one more index scan."""
    found = []
    for _, word, prefix in _options(term):
        covered = not prefix and (
            (term.prefix and word == term.word)
            or (
                word != term.word
                and (term.exact or term.prefix)
                and f" {term.word} " in f" {word} "
            )
        )
        if not covered:
            found.append((word, prefix))
    return found


def _fts_expression(terms: list[Term], every: bool) -> str:
    groups = []
    for term in terms:
        options = [f'"{w}"*' if prefix else f'"{w}"' for w, prefix in _finding(term)]
        groups.append(f"({' OR '.join(options)})")
    return f" {'AND' if every else 'OR'} ".join(groups)


def _any_of(template: str, column: str, fragments: list[str], params: list) -> str:
    params.extend(fragments)
    return "(" + " OR ".join(template.format(column=column) for _ in fragments) + ")"


def _tsquery(terms: list[Term], every: bool, weight: str = "") -> str:
    """PostgreSQL: the terms as tsquery text, e.g. "(nuoc | nuoc:* ) & (phu <-> quoc)".

    A phrase is its words in a row (<->), a word start `wor:*`; `weight` "A" leaves the
    description out (see migration 0006). Words are folded tokens ([a-z0-9]), so nothing in
    them is tsquery syntax.
    """
    groups = []
    for term in terms:
        options = []
        for word, prefix in _finding(term):
            mark = (":*" if prefix else ":" if weight else "") + weight
            options.append(" <-> ".join(f"{w}{mark}" for w in tokens(word)))
        groups.append(f"({' | '.join(options)})")
    return f" {'&' if every else '|'} ".join(groups)


def _where(terms: list[Term], every: bool, column: str | None) -> tuple[str, list]:
    """PostgreSQL: document `d` matches, in its name or (None) anywhere; relaxed (not `every`)
    and anywhere means outside the description. One GIN index look-up per word."""
    in_name, anywhere = _tsqueries(terms, every)
    if column == "name":
        return "d.name_terms @@ to_tsquery('simple', %s)", [in_name]
    return "d.terms @@ to_tsquery('simple', %s)", [anywhere]


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
    where, params = _where(terms, every, column)
    return RawSQL(f"SELECT d.product_id FROM search_searchdocument d WHERE {where}", params)


def _modes(plan: QueryPlan) -> tuple[bool, ...]:
    """Every word must match or, when no product has them all, any word."""
    return (True, False) if len(plan.terms) > 1 else (True,)


def _tsqueries(terms: list[Term], every: bool) -> tuple[str, str]:
    """PostgreSQL: the tsquery text of a match in the name, and of one anywhere (relaxed:
    anywhere but the description, weight A)."""
    return _tsquery(terms, every), _tsquery(terms, every, "" if every else "A")


def _matches(plan: QueryPlan, every: bool, within: QuerySet | None) -> list[int]:
    """Up to CANDIDATE_LIMIT matching ids: those matching in the name first (a name match is
    what ranks highest), so every page of a search sees the same set."""
    if within is None and connection.vendor == "postgresql":
        # Every published product: the documents alone answer, without joining the products,
        # and the name tier stops the scan once it fills the set. In table order rather than
        # id order (see migration 0006): the same set on every page while no document changes.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT * FROM search_candidates("
                "to_tsquery('simple', %s), to_tsquery('simple', %s), %s)",
                [*_tsqueries(plan.terms, every), CANDIDATE_LIMIT],
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
    after the keyset `after` = [rank, id]: higher rank first, then lower id.

    The candidates are ranked on the documents alone, then only the page is fetched with its
    relations, by primary key: one statement joining both costs more to plan (milliseconds for
    the joins and the rank twice over) than either costs to run.
    """
    if not ids:
        return []
    rank, rank_params = _rank_sql(plan, "r")
    ranked_sql = (
        f"SELECT r.product_id, {rank} AS search_rank FROM search_searchdocument r "
        f"WHERE r.product_id {_in(ids)}"
    )
    params = [*rank_params, *_in_params(ids)]
    if after:
        ranked_sql = (
            f"SELECT * FROM ({ranked_sql}) AS ranked "
            "WHERE search_rank < %s OR (search_rank = %s AND product_id > %s)"
        )
        params += [after[0], after[0], after[1]]
    with connection.cursor() as cursor:
        cursor.execute(
            f"{ranked_sql} ORDER BY search_rank DESC, product_id LIMIT %s", [*params, limit]
        )
        ranked = cursor.fetchall()
    # No ORDER BY: the rank's order is kept below.
    products = queryset.for_listing().order_by().in_bulk([pk for pk, _ in ranked])
    page = []
    for pk, search_rank in ranked:
        if pk in products:  # the products decide: a stale document never shows a hidden one
            products[pk].search_rank = search_rank
            page.append(products[pk])
    return page

"""The zero-setup backend: folded documents in the database, ranked by weighted field matches.

Candidates come from SQLite FTS5 or, on PostgreSQL, from GIN-indexed tsvector columns of the
folded document, at most CANDIDATE_LIMIT of them, name matches first; the rank is the same SQL
expression on both, so both databases order results alike.
"""

import json
import re

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, router, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.expressions import RawSQL

from marketplace.catalog.models import Product
from marketplace.search.analysis import QueryPlan, Term, tokens
from marketplace.search.documents import FILTER_KEYS, accented_words, database_row, key
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
# The candidate query of a filter no product can pass (Django compiles it to no SQL), typed
# as the product ids it stands for.
NO_CANDIDATES = "SELECT CAST(NULL AS bigint) AS product_id WHERE 1 = 0"


class SearchVocabulary:
    """Folded words of all documents (SearchWord), for typo and prefix resolution.

    Plain SQL: a query word brings hundreds of one-edit neighbours, and building that IN list
    through the ORM costs more than the look-up itself. They travel as one space-separated
    text (folded words are [a-z0-9]+): an array or a placeholder per word costs milliseconds of
    parameter quoting.
    """

    def known(self, words: set[str]) -> dict[str, tuple[str, int]]:
        """Known words among these: word → (accented spelling, how often the catalogue uses it)."""
        return self.look_up(words)[0]

    def look_up(
        self, words: set[str], starts: set[str] = frozenset()
    ) -> tuple[dict[str, tuple[str, int]], set[str]]:
        """In one round trip: the known words among `words` (as `known`), and which of
        `starts` begin some known word (as-you-type)."""
        words, starts = _plain_words(words), _plain_words(starts)
        if not words and not starts:
            return {}, set()
        if connection.vendor == "postgresql":
            listed = "string_to_array(%s, ' ')"
            sql = (
                f"SELECT word, display, frequency FROM search_searchword WHERE word = ANY({listed})"
                f" UNION ALL SELECT s, NULL, NULL FROM unnest({listed}) AS s WHERE EXISTS ("
                "SELECT 1 FROM search_searchword w WHERE w.word >= s AND w.word < s || '~')"
            )
            params = [" ".join(words), " ".join(starts)]
        else:
            sql = (
                "SELECT word, display, frequency FROM search_searchword "
                "WHERE word IN (SELECT value FROM json_each(%s)) UNION ALL "
                "SELECT s.value, NULL, NULL FROM json_each(%s) AS s WHERE EXISTS ("
                "SELECT 1 FROM search_searchword w WHERE w.word >= s.value "
                "AND w.word < s.value || '~')"
            )
            params = [json.dumps(words), json.dumps(starts)]
        known, started = {}, set()
        with reading().cursor() as cursor:
            cursor.execute(sql, params)
            for word, display, frequency in cursor.fetchall():
                if display is None:
                    started.add(word)
                else:
                    known[word] = (display, frequency)
        return known, started

    def has_prefix(self, start: str) -> bool:
        return bool(self.look_up(set(), {start})[1])


def reading():
    """The connection search reads go to: a read replica inside a read-only request
    (config/db_router.py), else the primary."""
    return connections[router.db_for_read(SearchDocument)]


_PLAIN_WORD = re.compile(r"[a-z0-9]{1,60}")


def _plain_words(words) -> list[str]:
    """Folded words only: nothing else can be in the vocabulary, and a space separates them."""
    return sorted(w for w in words if _PLAIN_WORD.fullmatch(w))


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
                "keys",
                "price",
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


def term_options(term: Term) -> list[tuple[int, str, bool]]:
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
    for _, word, prefix in term_options(term):
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


def any_of(template: str, column: str, fragments: list[str], params: list) -> str:
    params.extend(fragments)
    return "(" + " OR ".join(template.format(column=column) for _ in fragments) + ")"


def _tsquery(terms: list[Term], every: bool, weight: str = "", in_name: bool = False) -> str:
    """PostgreSQL: the terms as tsquery text, e.g. "(nuoc | nuoc:* ) & (phu <-> quoc)".

    A phrase is its words in a row (<->), a word start `wor:*`; `weight` "A" leaves the
    description out (see migration 0006). Words are folded tokens ([a-z0-9]), so nothing in
    them is tsquery syntax. The wards a place stands for are the documents' place tokens
    (migration 0007), which names do not hold: `in_name` leaves them out where it can.
    """
    groups = []
    for term in terms:
        options, places = [], []
        for word, prefix in _finding(term):
            mark = (":*" if prefix else ":" if weight else "") + weight
            if word in term.wards:
                places.append(f"zz{word.replace(' ', '')}{mark}")
            else:
                options.append(" <-> ".join(f"{w}{mark}" for w in tokens(word)))
        if not in_name or not options:
            options += places
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


def _tsqueries(terms: list[Term], every: bool) -> tuple[str, str]:
    """PostgreSQL: the tsquery text of a match in the name, and of one anywhere (relaxed:
    anywhere but the description, weight A)."""
    return _tsquery(terms, every, in_name=True), _tsquery(terms, every, "" if every else "A")


def filter_keys(flt) -> list[list[str]]:
    """A ProductFilter's values as the documents' filter tokens: one group per filter, any
    value of a group (see documents.filter_keys)."""
    return [
        [key(kind, value) for value in getattr(flt, name)]
        for name, kind in FILTER_KEYS.items()
        if getattr(flt, name)
    ]


def in_documents(flt) -> bool:
    """Whether the documents alone can apply this filter (all but stock, which moves too
    often to rewrite documents for)."""
    return flt.in_stock is None


def _narrowed(tsquery: str, keys: list[list[str]]) -> str:
    groups = [f"({' | '.join(group)})" for group in keys]
    return " & ".join([f"({tsquery})", *groups]) if groups else tsquery


def candidates_sql(
    plan: QueryPlan, every: bool, within: QuerySet | None, flt=None
) -> tuple[str, list]:
    """SQL selecting `product_id` of up to CANDIDATE_LIMIT matches: those matching in the name
    first (a name match is what ranks highest), so every page of a search sees the same set.

    `within`: a filtered or scoped queryset of products; None means every published one.
    `flt`: the ProductFilter of an unscoped `within`. PostgreSQL applies it in the documents
    (filter_keys in the GIN index, the price), and joins `within` only for what they lack
    (in_documents). Only these candidates are ranked and counted, so a search costs about the
    same at 1k or 100k products. Products matching every word or, when not `every`
    (relaxed), any word outside the description.
    """
    if connection.vendor == "sqlite":
        return _sqlite_candidates(plan, every, within)
    in_name, anywhere = _tsqueries(plan.terms, every)
    if within is None:
        # Every published product: the documents alone answer, without joining the products,
        # and the name tier stops the scan once it fills the set. In table order rather than
        # id order (see migration 0006): the same set on every page while no document changes.
        return (
            "SELECT c AS product_id FROM search_candidates("
            "to_tsquery('simple', %s), to_tsquery('simple', %s), %s) AS c",
            [in_name, anywhere, CANDIDATE_LIMIT],
        )
    where, params = "d.terms @@ to_tsquery('simple', %s)", [anywhere]
    if flt is not None:
        params = [_narrowed(anywhere, filter_keys(flt))]
        for clause, bound in (("d.price >= %s", flt.price_min), ("d.price <= %s", flt.price_max)):
            if bound is not None:
                where += f" AND {clause}"
                params.append(bound)
    if flt is not None and in_documents(flt):
        where += " AND d.searchable"
    else:
        try:
            scope, scope_params = within.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # a filter no product can pass (a negative price): no SQL
            return NO_CANDIDATES, []
        where += f" AND d.product_id IN ({scope})"
        params += scope_params
    return (
        f"SELECT d.product_id FROM search_searchdocument d WHERE {where} "
        "ORDER BY d.name_terms @@ to_tsquery('simple', %s) DESC, d.product_id LIMIT %s",
        [*params, in_name, CANDIDATE_LIMIT],
    )


def _sqlite_candidates(plan: QueryPlan, every: bool, within: QuerySet | None):
    queryset = within if within is not None else Product.objects.published()
    in_name = Q(pk__in=_match(plan.terms, every, "name"))
    matched = queryset.filter(pk__in=_match(plan.terms, every)).annotate(
        in_name=ExpressionWrapper(in_name, output_field=BooleanField())
    )
    ordered = matched.order_by("-in_name", "pk").values(product_id=F("pk"))[:CANDIDATE_LIMIT]
    try:
        sql, params = ordered.query.sql_with_params()
    except EmptyResultSet:  # a filter no product can pass (a negative price): Django has no SQL
        return NO_CANDIDATES, []
    return f"SELECT product_id FROM ({sql}) AS matched", list(params)


def modes(plan: QueryPlan) -> tuple[bool, ...]:
    """Every word must match or, when no product has them all, any word (relaxed)."""
    return (True, False) if len(plan.terms) > 1 else (True,)


def matching(queryset: QuerySet, plan: QueryPlan) -> QuerySet:
    """Every product matching the query (not bounded): for explicit sorts and the engine's
    facet fallback."""
    if plan.empty:
        return queryset.none()
    matched = queryset.filter(pk__in=_match(plan.terms, every=True))
    if len(plan.terms) > 1 and not matched.exists():
        matched = queryset.filter(pk__in=_match(plan.terms, every=False))
    return matched

"""The zero-setup backend: folded documents in the database, ranked by weighted field matches.

Candidates come from SQLite FTS5 or, on PostgreSQL, from a pg_trgm GIN index on the folded
body; the rank is the same SQL expression on both, so both databases order results alike.
"""

from django.db import connection, transaction
from django.db.models import IntegerField, QuerySet, Value
from django.db.models.expressions import RawSQL

from marketplace.search.analysis import QueryPlan, Term
from marketplace.search.documents import FIELD_WEIGHTS, accented_words, database_row
from marketplace.search.models import SearchDocument, SearchWord

# How good a match of one query word is, before the field's weight.
EXACT, FUZZY, PREFIX = 10, 7, 5
# The rank is score * RANK_SCALE - name length: shorter names win ties ("Tiêu sọ" before
# "Tiêu sọ Phú Quốc loại đặc biệt"), and it stays an integer for exact keyset cursors.
RANK_SCALE = 1000
# ranked() joins the documents once under Django's alias for the table; the rank reads it.
_DOC = '"search_searchdocument"'
FTS_COLUMNS = ("name", "producer", "place", "product_set", "description")


class SearchVocabulary:
    """Folded words of all documents (SearchWord), for typo and prefix resolution.

    Plain SQL: a query word brings hundreds of one-edit neighbours, and building that IN list
    through the ORM costs more than the look-up itself.
    """

    def lookup(self, words: set[str]) -> dict[str, str]:
        words = [w for w in words if len(w) <= 60]
        if not words:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word, display FROM search_searchword "
                f"WHERE word IN ({', '.join(['%s'] * len(words))})",
                words,
            )
            return dict(cursor.fetchall())

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
    for product in products:
        for word, display in accented_words(product).items():
            words.setdefault(word, display)
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
                "updated_at",
            ],
        )
        SearchWord.objects.bulk_create(
            [SearchWord(word=w, display=d[:60]) for w, d in words.items()],
            ignore_conflicts=True,
            batch_size=500,
        )
        if connection.vendor == "sqlite":
            _write_fts([(p.pk, row) for p, row in zip(products, rows, strict=True)])


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


def _fts_expression(terms: list[Term], every: bool) -> str:
    groups = []
    for term in terms:
        options = [f'"{w}"' for w in ([term.word] if term.exact else []) + term.fuzzy]
        if term.prefix:
            options.append(f'"{term.word}"*')
        groups.append(f"({' OR '.join(options)})")
    return f" {'AND' if every else 'OR'} ".join(groups)


def _patterns(term: Term) -> list[tuple[int, list[str]]]:
    """(quality, fragments to find in a padded field) for a term, best first."""
    found = []
    if term.exact:
        found.append((EXACT, [f" {term.word} "]))
    if term.fuzzy:
        found.append((FUZZY, [f" {w} " for w in term.fuzzy]))
    if term.prefix:
        found.append((PREFIX, [f" {term.word}"]))
    return found


def _any_of(template: str, column: str, fragments: list[str], params: list) -> str:
    params.extend(fragments)
    return "(" + " OR ".join(template.format(column=column) for _ in fragments) + ")"


def _candidates(queryset: QuerySet, terms: list[Term], every: bool) -> QuerySet:
    if connection.vendor == "sqlite":
        match = RawSQL(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s",
            [_fts_expression(terms, every)],
        )
        return queryset.filter(pk__in=match)
    # PostgreSQL: LIKE on the folded body, which the pg_trgm GIN index answers.
    params: list = []
    groups = [
        _any_of(
            "d.{column} LIKE %s", "body", [f"%{p}%" for _, ps in _patterns(t) for p in ps], params
        )
        for t in terms
    ]
    where = f" {'AND' if every else 'OR'} ".join(groups)
    match = RawSQL(f"SELECT d.product_id FROM search_searchdocument d WHERE {where}", params)
    return queryset.filter(pk__in=match)


def _position() -> str:
    return (
        "instr({column}, %s) > 0" if connection.vendor == "sqlite" else "strpos({column}, %s) > 0"
    )


def _term_score(term: Term, params: list) -> str:
    whens = sorted(
        (
            (weight * quality, column, fragments)
            for column, weight in FIELD_WEIGHTS.items()
            for quality, fragments in _patterns(term)
        ),
        key=lambda item: -item[0],
    )
    cases = [
        f"WHEN {_any_of(_position(), f'{_DOC}.{column}', fragments, params)} THEN {value}"
        for value, column, fragments in whens
    ]
    return f"CASE {' '.join(cases)} ELSE 0 END"


def _rank(plan: QueryPlan) -> RawSQL:
    """An integer rank per product: weighted matches * RANK_SCALE - name length."""
    params: list = []
    parts = [_term_score(t, params) for t in plan.terms]
    if len(plan.terms) > 1 and all(t.exact for t in plan.terms):
        phrase = " ".join(t.word for t in plan.terms)
        condition = _any_of(_position(), f"{_DOC}.name", [f" {phrase} "], params)
        parts.append(f"CASE WHEN {condition} THEN {EXACT * 8} ELSE 0 END")
    sql = f"({' + '.join(parts)}) * {RANK_SCALE} - {_DOC}.name_length"
    return RawSQL(sql, params, output_field=IntegerField())


def matching(queryset: QuerySet, plan: QueryPlan) -> QuerySet:
    """Products matching every word or, when none does, any word."""
    if plan.empty:
        return queryset.none()
    matched = _candidates(queryset, plan.terms, every=True)
    if len(plan.terms) > 1 and not matched.exists():
        matched = _candidates(queryset, plan.terms, every=False)
    return matched


def ranked(candidates: QuerySet, plan: QueryPlan) -> QuerySet:
    """The candidates annotated with their integer `search_rank` (higher is better)."""
    if plan.empty:
        return candidates.annotate(search_rank=Value(0, output_field=IntegerField()))
    # The isnull filter is the INNER JOIN to the documents that _rank reads.
    return candidates.filter(search_document__isnull=False).annotate(search_rank=_rank(plan))

"""PostgreSQL: the folded document as full-text vectors with GIN indexes, instead of trigrams.

A trigram index only narrows a LIKE '% word %' down to rows sharing the word's trigrams, and
every one of them is then rechecked against the whole folded text: at 100k products a common
word costs hundreds of milliseconds. A tsvector GIN index answers "has this word" (and a word
start, `word:*`) exactly. The vectors are generated columns, so PostgreSQL keeps them in step
with the folded columns the backend writes; the 'simple' configuration only splits on spaces
and lowercases, and the columns are folded already. `terms` weighs the description D and every
other field A, so a relaxed search can leave descriptions out (`word:A`).

Core PostgreSQL full text, no extension. Nothing on SQLite, whose FTS5 table does this job.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "ALTER TABLE search_searchdocument ADD COLUMN name_terms tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, name)) STORED",
    "ALTER TABLE search_searchdocument ADD COLUMN terms tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, name || producer || place || product_set), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, description), 'D')) STORED",
    "CREATE INDEX search_document_name_terms ON search_searchdocument USING gin (name_terms)",
    "CREATE INDEX search_document_terms ON search_searchdocument USING gin (terms)",
    "DROP INDEX IF EXISTS search_document_body_trgm",
    "DROP INDEX IF EXISTS search_document_name_trgm",
    # Up to `size` searchable documents matching in the name, then elsewhere. In the order the
    # GIN bitmap visits the table, which lets LIMIT stop after `size` rows: sorting every match
    # by id first visits all of them (14k rows, the whole table, for a common word at 100k).
    # The SET clauses hold only inside the function and keep that plan, which is also
    # deterministic: a sequential scan (synchronised with a concurrent one) or a parallel plan
    # could start elsewhere and hand the pages of one search different candidates.
    """
    CREATE FUNCTION search_candidates(in_name tsquery, anywhere tsquery, size integer)
    RETURNS SETOF bigint LANGUAGE sql STABLE
    SET enable_seqscan = off SET enable_indexscan = off SET max_parallel_workers_per_gather = 0
    AS $$
      SELECT product_id FROM (
        (SELECT d.product_id FROM search_searchdocument d
         WHERE d.searchable AND d.name_terms @@ in_name LIMIT size)
        UNION ALL
        (SELECT d.product_id FROM search_searchdocument d
         WHERE d.searchable AND d.terms @@ anywhere AND NOT d.name_terms @@ in_name LIMIT size)
      ) AS tiers LIMIT size
    $$
    """,
]
POSTGRES_BACKWARD = [
    "DROP FUNCTION IF EXISTS search_candidates(tsquery, tsquery, integer)",
    "CREATE INDEX IF NOT EXISTS search_document_body_trgm "
    "ON search_searchdocument USING gin (body gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS search_document_name_trgm "
    "ON search_searchdocument USING gin (name gin_trgm_ops)",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS terms",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS name_terms",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements:
            schema_editor.execute(statement)


def forward(apps, schema_editor):
    _run(schema_editor, POSTGRES_FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, POSTGRES_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_searchword_frequency")]

    operations = [
        migrations.RunPython(forward, backward),
        # Only the trigram index read it.
        migrations.RemoveField(model_name="searchdocument", name="body"),
    ]

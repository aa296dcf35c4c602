"""PostgreSQL: the document's place (its ward) also as one token, `zz` + its folded words joined.

A place named in the query stands for its wards too (an old district for the new wards it went
to, issue 17). As phrases ("dinh <-> my | oc <-> eo | phu <-> hoa | ...") each ward costs the
GIN index the posting lists of common syllables and a recheck of every row holding them: the
slowest kind of query at 100k products. As tokens ("pdinhmy | poceo | pphuhoa") each is one
exact posting list. `zz` keeps them apart from words a shopper can type (no Vietnamese
syllable starts so; a lone letter would not do: `p` + ward Hội is "phoi"). SQLite's FTS5 table
matches phrases by position and needs nothing.
"""

from django.db import migrations

TERMS = (
    "setweight(to_tsvector('simple'::regconfig, name || producer || place || product_set), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, 'zz' || replace(btrim(place), ' ', '')), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, description), 'D')"
)
OLD_TERMS = (
    "setweight(to_tsvector('simple'::regconfig, name || producer || place || product_set), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, description), 'D')"
)


def _statements(expression: str) -> list[str]:
    # search_candidates (migration 0006) reads the column by name when it runs: it stays.
    return [
        "DROP INDEX IF EXISTS search_document_terms",
        "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS terms",
        f"ALTER TABLE search_searchdocument ADD COLUMN terms tsvector GENERATED ALWAYS AS "
        f"({expression}) STORED",
        "CREATE INDEX search_document_terms ON search_searchdocument USING gin (terms)",
    ]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements:
            schema_editor.execute(statement)


def forward(apps, schema_editor):
    _run(schema_editor, _statements(TERMS))


def backward(apps, schema_editor):
    _run(schema_editor, _statements(OLD_TERMS))


class Migration(migrations.Migration):
    dependencies = [("search", "0006_document_terms")]

    operations = [migrations.RunPython(forward, backward)]

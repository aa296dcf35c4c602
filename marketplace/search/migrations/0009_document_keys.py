"""The storefront's filters in each search document: as tokens (documents.filter_keys), and the
price.

PostgreSQL: they join the generated `terms` tsvector, so a filtered search ("mật ong" in one
ward) narrows its candidates in the GIN index instead of joining every match to its product
(287 ms at 100k products before). Existing documents get their keys here, by the same rule as
documents.key ("zz" + kind letter + the value's [a-z0-9]); tests compare both. SQLite's FTS5
path joins the products and reads no keys.
"""

from django.db import migrations, models

TERMS = (
    "setweight(to_tsvector('simple'::regconfig, name || producer || place || product_set), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, 'zz' || replace(btrim(place), ' ', '')), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, description), 'D')"
)
WITH_KEYS = f"{TERMS} || to_tsvector('simple'::regconfig, keys)"


def _token(kind: str, value: str) -> str:
    return f"'zz{kind}' || regexp_replace(lower(({value})::text), '[^a-z0-9]', '', 'g')"


FILL_KEYS = f"""
UPDATE search_searchdocument d SET price = p.price, keys = ' ' || concat_ws(' ',
    {_token("s", "p.product_set_id")}, {_token("g", "ps.group_id")}, {_token("r", "c.stars")},
    {_token("w", "pr.ward_id")}, {_token("p", "pr.code")}) || ' '
FROM catalog_product p
JOIN catalog_productset ps ON ps.code = p.product_set_id
JOIN producers_producer pr ON pr.id = p.producer_id
LEFT JOIN producers_ocopcertificate c ON c.id = p.certificate_id
WHERE d.product_id = p.id
"""


def _terms(expression: str) -> list[str]:
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
    _run(schema_editor, [FILL_KEYS, *_terms(WITH_KEYS)])


def backward(apps, schema_editor):
    _run(schema_editor, _terms(TERMS))


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0008_index_failure"),
        ("catalog", "0001_initial"),
        ("producers", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument", name="keys", field=models.TextField(default=" ")
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="price",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.RunPython(forward, backward),
    ]

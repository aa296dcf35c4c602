"""PostgreSQL: a pg_trgm GIN index on the folded name, for the name-first candidate tier."""

from django.db import migrations

POSTGRES_FORWARD = (
    "CREATE INDEX IF NOT EXISTS search_document_name_trgm "
    "ON search_searchdocument USING gin (name gin_trgm_ops)"
)
POSTGRES_BACKWARD = "DROP INDEX IF EXISTS search_document_name_trgm"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext_indexes")]

    operations = [migrations.RunPython(forward, backward)]

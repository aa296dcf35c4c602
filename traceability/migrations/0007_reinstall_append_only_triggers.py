"""Trace history append-only again on SQLite: 0006's AlterField rebuilt traceability_attachment
there, and a rebuilt SQLite table loses its triggers (PostgreSQL keeps them; installing is
idempotent on both)."""

from django.db import migrations


def install(apps, schema_editor):
    from traceability import guards

    guards.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("traceability", "0006_evidence_private_storage")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]

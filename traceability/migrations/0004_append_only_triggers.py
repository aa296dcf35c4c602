"""Triggers refusing UPDATE/DELETE of trace history, per database vendor (traceability.guards)."""

from django.db import migrations


def install(apps, schema_editor):
    from traceability import guards

    guards.install(schema_editor.connection)


def remove(apps, schema_editor):
    from traceability import guards

    guards.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("traceability", "0003_cbv2_event_ids_tree_heads")]

    operations = [migrations.RunPython(install, remove)]

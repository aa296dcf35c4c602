"""CBV 2.0 event hash IDs and signed Merkle tree heads.

Existing events keep their rows and hashes: `manage.py rechain_trace_events` re-chains them
(after checking each old chain) — a migration must not silently rewrite history. The old daily
checkpoints are kept, renamed, as legacy records.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("traceability", "0002_event_one_error_declaration")]

    operations = [
        migrations.AlterField(
            model_name="event",
            name="event_id",
            field=models.CharField(editable=False, max_length=100, unique=True),
        ),
        migrations.RenameModel("Checkpoint", "LegacyCheckpoint"),
        migrations.AlterModelOptions(
            name="legacycheckpoint",
            options={
                "ordering": ["-day"],
                "verbose_name": "điểm neo cũ (trước CBV 2.0)",
                "verbose_name_plural": "điểm neo cũ (trước CBV 2.0)",
            },
        ),
        migrations.CreateModel(
            name="Checkpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("tree_size", models.PositiveBigIntegerField()),
                ("root_hash", models.CharField(max_length=64)),
                ("signed_at", models.DateTimeField()),
                ("payload", models.TextField(help_text="The signed JSON, byte for byte.")),
                ("signature", models.CharField(help_text="Ed25519 signature, base64url.", max_length=128)),
                ("key_id", models.CharField(max_length=64)),
            ],
            options={
                "verbose_name": "điểm neo chuỗi",
                "verbose_name_plural": "điểm neo chuỗi",
                "ordering": ["tree_size", "signed_at"],
            },
        ),
        migrations.CreateModel(
            name="TreeLeaf",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("index", models.PositiveBigIntegerField(unique=True)),
                ("gtin", models.CharField(max_length=14)),
                ("lot", models.CharField(max_length=20)),
                ("events", models.PositiveIntegerField()),
                ("head", models.CharField(max_length=64)),
                ("checkpoint", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="leaves", to="traceability.checkpoint")),
            ],
            options={
                "verbose_name": "lá của cây neo",
                "verbose_name_plural": "lá của cây neo",
                "ordering": ["index"],
                "indexes": [models.Index(fields=["gtin", "lot", "index"], name="treeleaf_lot")],
            },
        ),
    ]

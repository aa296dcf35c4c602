"""SearchDocument.searchable, filled for the documents already written."""

from django.db import migrations, models


def fill(apps, schema_editor):
    SearchDocument = apps.get_model("search", "SearchDocument")
    SearchDocument.objects.filter(
        product__status="published", product__producer__is_active=True
    ).update(searchable=True)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_name_trigram_index")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="searchable",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

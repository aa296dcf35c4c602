"""SearchWord.frequency, for splitting joined words; search_reindex fills it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("search", "0004_document_searchable")]

    operations = [
        migrations.AddField(
            model_name="searchword",
            name="frequency",
            field=models.PositiveIntegerField(default=0),
        ),
    ]

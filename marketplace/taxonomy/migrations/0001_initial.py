# The OCOP groups and sets move here from catalog. Their tables stay as they are: this only
# tells Django's model state where the models now live, so it changes nothing in the database.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("catalog", "0008_product_rating"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OcopGroup",
                    fields=[
                        ("number", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                        ("name", models.CharField(max_length=100)),
                        ("name_en", models.CharField(max_length=100)),
                    ],
                    options={
                        "db_table": "catalog_ocopgroup",
                        "verbose_name": "nhóm sản phẩm OCOP",
                        "verbose_name_plural": "nhóm sản phẩm OCOP",
                        "ordering": ["number"],
                    },
                ),
                migrations.CreateModel(
                    name="ProductSet",
                    fields=[
                        ("code", models.CharField(max_length=5, primary_key=True, serialize=False)),
                        ("name", models.CharField(max_length=150)),
                        ("name_en", models.CharField(max_length=150)),
                        ("position", models.PositiveSmallIntegerField(default=0)),
                        ("group", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="sets", to="taxonomy.ocopgroup")),
                    ],
                    options={
                        "db_table": "catalog_productset",
                        "verbose_name": "bộ sản phẩm OCOP",
                        "verbose_name_plural": "bộ sản phẩm OCOP",
                        "ordering": ["position"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

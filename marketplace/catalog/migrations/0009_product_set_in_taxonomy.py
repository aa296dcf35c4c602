# Point the foreign key at the product sets' new app (same table): model state only, so the
# database is not touched.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0008_product_rating"),
        ("taxonomy", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="product",
                    name="product_set",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="products", to="taxonomy.productset"),
                ),
            ],
            database_operations=[],
        ),
    ]

# Point the foreign key at the product sets' new app (same table): model state only, so the
# database is not touched.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("coverage", "0002_trade_office_group"),
        ("taxonomy", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="registerentry",
                    name="product_set",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="register_entries", to="taxonomy.productset"),
                ),
            ],
            database_operations=[],
        ),
    ]

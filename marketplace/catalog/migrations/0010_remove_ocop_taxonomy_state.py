# The groups and sets now live in marketplace.taxonomy (taxonomy/0001 took over their tables):
# forget them here in the model state only, so their tables and rows stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0009_product_set_in_taxonomy"),
        ("producers", "0003_certificate_product_set_in_taxonomy"),
        ("coverage", "0003_register_product_set_in_taxonomy"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ProductSet"),
                migrations.DeleteModel(name="OcopGroup"),
            ],
            database_operations=[],
        ),
    ]

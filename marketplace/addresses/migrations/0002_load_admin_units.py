from django.db import migrations


def load_units(apps, schema_editor):
    from marketplace.addresses.services import sync_admin_units

    sync_admin_units(apps.get_model("addresses", "Province"), apps.get_model("addresses", "Ward"))


class Migration(migrations.Migration):
    dependencies = [("addresses", "0001_initial")]
    operations = [migrations.RunPython(load_units, migrations.RunPython.noop)]

from django.db import migrations


def normalise_names(apps, schema_editor):
    # Names are now read through nfc(): a second sync rewrites the ones stored with two spaces.
    from marketplace.addresses.services import sync_admin_units

    sync_admin_units(apps.get_model("addresses", "Province"), apps.get_model("addresses", "Ward"))


class Migration(migrations.Migration):
    dependencies = [("addresses", "0002_load_admin_units")]
    operations = [migrations.RunPython(normalise_names, migrations.RunPython.noop)]

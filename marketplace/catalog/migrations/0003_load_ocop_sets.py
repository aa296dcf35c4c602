from django.db import migrations


def load_sets(apps, schema_editor):
    from marketplace.catalog.ocop_sets import GROUPS, SETS, group_number

    OcopGroup = apps.get_model("catalog", "OcopGroup")
    ProductSet = apps.get_model("catalog", "ProductSet")
    for number, name, name_en in GROUPS:
        OcopGroup.objects.update_or_create(
            number=number, defaults={"name": name, "name_en": name_en}
        )
    for position, (code, name, name_en) in enumerate(SETS):
        ProductSet.objects.update_or_create(
            code=code,
            defaults={"group_id": group_number(code), "name": name, "name_en": name_en,
                      "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_initial")]
    operations = [migrations.RunPython(load_sets, migrations.RunPython.noop)]

from django.db import migrations


def seed(apps, schema_editor):
    from marketplace.settlements import seed_rates as seed

    WithholdingRate = apps.get_model("settlements", "WithholdingRate")
    CommissionRate = apps.get_model("settlements", "CommissionRate")
    OcopGroup = apps.get_model("taxonomy", "OcopGroup")
    for kind in seed.WITHHELD_KINDS:
        for sale_type, (vat, pit) in seed.WITHHOLDING.items():
            WithholdingRate.objects.get_or_create(
                seller_kind=kind,
                sale_type=sale_type,
                valid_from=seed.DECREE_117_FROM,
                defaults={"vat_percent": vat, "pit_percent": pit, "note": seed.DECREE_117},
            )
    for group in OcopGroup.objects.all():
        CommissionRate.objects.get_or_create(
            group=group,
            valid_from=seed.COMMISSION_FROM,
            defaults={"percent": seed.COMMISSION_PERCENT, "note": seed.COMMISSION_NOTE},
        )


class Migration(migrations.Migration):
    dependencies = [("settlements", "0003_rates_charges_cod")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

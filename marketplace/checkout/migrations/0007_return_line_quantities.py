"""A return names how many units of each line go back: the lines' plain many-to-many becomes
one through ReturnLine (with the quantity); existing returns keep their lines, whole."""

import django.db.models.deletion
from django.db import migrations, models


def copy_lines(apps, schema_editor):
    Return = apps.get_model("checkout", "Return")
    ReturnLine = apps.get_model("checkout", "ReturnLine")
    ReturnLine.objects.bulk_create(
        ReturnLine(return_request_id=item.pk, line_id=line.pk, quantity=line.quantity)
        for item in Return.objects.prefetch_related("lines")
        for line in item.lines.all()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("checkout", "0006_line_cancel_and_returns"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReturnLine",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("quantity", models.PositiveIntegerField()),
                (
                    "line",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="checkout.orderline",
                    ),
                ),
                (
                    "return_request",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="checkout.return",
                    ),
                ),
            ],
            options={
                "verbose_name": "dòng trả hàng",
                "verbose_name_plural": "dòng trả hàng",
                "ordering": ["id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("return_request", "line"), name="returnline_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(quantity__gte=1), name="returnline_quantity_positive"
                    ),
                ],
            },
        ),
        migrations.RunPython(copy_lines, migrations.RunPython.noop),
        migrations.RemoveField(model_name="return", name="lines"),
        migrations.AddField(
            model_name="return",
            name="lines",
            field=models.ManyToManyField(
                blank=True,
                related_name="returns",
                through="checkout.ReturnLine",
                to="checkout.orderline",
            ),
        ),
    ]

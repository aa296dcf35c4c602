from django.db import migrations


def create_office_group(apps, schema_editor):
    """The `trade_office` group with the office permission (post_migrate would add the
    permission only after this migration, so it is made here)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="coverage", model="registerentry")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="use_office",
        defaults={"name": "Dùng các trang của Sở Công Thương"},
    )
    group, _ = Group.objects.get_or_create(name="trade_office")
    group.permissions.add(permission)


class Migration(migrations.Migration):

    dependencies = [
        ("coverage", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="registerentry",
            options={
                "ordering": ["issued_on", "id"],
                "permissions": [("use_office", "Dùng các trang của Sở Công Thương")],
                "verbose_name": "dòng sổ OCOP",
                "verbose_name_plural": "sổ OCOP của tỉnh",
            },
        ),
        migrations.RunPython(create_office_group, migrations.RunPython.noop),
    ]

"""Write tokens for the tables the web workers cache, and the triggers that replace them."""

import secrets

from django.db import migrations, models


def install(apps, schema_editor):
    from atrocity_watch.web.core import table_versions

    TableVersion = apps.get_model("core", "TableVersion")
    for table in table_versions.WATCHED_TABLES:
        TableVersion.objects.update_or_create(name=table, defaults={"token": secrets.token_hex(16)})
    table_versions.install_triggers(schema_editor.connection)


def remove(apps, schema_editor):
    from atrocity_watch.web.core import table_versions

    table_versions.remove_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    initial = True

    # The watched tables must exist before triggers can be put on them.
    dependencies = [
        ("sessions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("accounts", "0001_initial"),
        ("assessments", "0001_initial"),
        ("alerts", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="TableVersion",
            fields=[
                ("name", models.CharField(max_length=63, primary_key=True, serialize=False)),
                ("token", models.CharField(max_length=64)),
            ],
            options={"db_table": "core_tableversion"},
        ),
        migrations.RunPython(install, remove),
    ]

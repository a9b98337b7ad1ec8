"""The personal-data log keeps the user as a plain id (``user_id``, no constraint).

On SQLite the log moves to the logins file (trainingmgr/routers.py), where no foreign key to
``auth_user`` can hold. The column ``user_id`` and every row stay as they are: the database
step only drops the foreign-key constraint (on SQLite a table rebuild that copies the rows),
and the model's state swaps the ``user`` foreign key for the ``user_id`` integer field that
is that same column. A logins file migrated before the log lived there gets the table first.
The rows already written into the main SQLite file are moved to the
logins file after ``migrate`` (accounts/logins.py, move_personal_data_log).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def create_where_missing(apps, schema_editor):
    """The log's table, as 0004 made it, in a logins file migrated before the log lived there
    (0004 was then recorded there without creating it); the step below then drops its
    constraint like everywhere else. Runs only where the router puts the log."""
    model = apps.get_model("accounts", "PersonalDataAccess")
    with schema_editor.connection.cursor() as cursor:
        tables = schema_editor.connection.introspection.table_names(cursor)
    if model._meta.db_table not in tables:
        schema_editor.create_model(model)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_personal_data_access"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(
            create_where_missing,
            migrations.RunPython.noop,
            hints={"model_name": "personaldataaccess"},
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterField(
                    model_name="personaldataaccess",
                    name="user",
                    field=models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            state_operations=[
                migrations.RemoveField(model_name="personaldataaccess", name="user"),
                migrations.AddField(
                    model_name="personaldataaccess",
                    name="user_id",
                    field=models.IntegerField(
                        blank=True, db_index=True, null=True, verbose_name="user id"
                    ),
                ),
            ],
        ),
    ]

from django.db import migrations, models


def recreate_triggers(apps, schema_editor):
    """The pause table (if reports/0002 has not made it already) and the triggers again, now
    reading it (reports.summaries.paused)."""
    from reports import summaries

    summaries.drop_triggers(schema_editor)
    summaries.create_triggers(schema_editor)


def drop_triggers(apps, schema_editor):
    from reports import summaries

    summaries.drop_triggers(schema_editor)
    schema_editor.execute(f"DROP TABLE IF EXISTS {summaries.PAUSE}", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_summaries"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SummaryPause",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "reports_summary_pause",
                    },
                ),
            ],
            database_operations=[migrations.RunPython(recreate_triggers, drop_triggers)],
        ),
    ]

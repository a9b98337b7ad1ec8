from django.db import migrations


def recreate_triggers(apps, schema_editor):
    """The triggers again, in the form an import's or a revert's bulk writes can pause
    (reports.summaries.paused: on PostgreSQL their WHEN reads a transaction-local setting)."""
    from reports import summaries

    summaries.drop_triggers(schema_editor)
    summaries.create_triggers(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_summaries"),
    ]

    operations = [
        # Backwards: the triggers stay as they are (unpaused, they do what the earlier ones did).
        migrations.RunPython(recreate_triggers, migrations.RunPython.noop),
    ]

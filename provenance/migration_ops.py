"""The migration operation of BatchTraced's link without a database constraint."""

from django.db import migrations, models


class DropBatchConstraint(migrations.AlterField):
    """``AlterField`` of a BatchTraced model's ``import_batch`` to ``db_constraint=False``,
    carried out in the database except on SQLite.

    PostgreSQL drops the foreign-key constraint in place. SQLite can drop one only by
    rebuilding the table (copy, drop, rename), which would also drop the summary triggers and
    fail on those that name the table (reports.summaries); there the constraint stays, in an
    existing database and in a new one alike. It is never violated (the link's only writer
    is the import that creates the batch) and SQLite's deferred check costs about 0.04 s of a
    50,000-row import. A later rebuild of the table from the models drops it.

    Takes the model's name only: the field is the link as BatchTraced defines it now."""

    def __init__(self, model_name, name="import_batch", field=None, **kwargs):
        if field is None:
            field = models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=models.SET_NULL,
                related_name="+",
                to="provenance.importbatch",
                verbose_name="import batch",
            )
        super().__init__(model_name=model_name, name=name, field=field, **kwargs)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            super().database_backwards(app_label, schema_editor, from_state, to_state)

"""The import batch link without a database constraint (provenance.models.BatchTraced):
dropped on PostgreSQL, kept on SQLite (provenance.migration_ops.DropBatchConstraint)."""

from django.db import migrations

from provenance.migration_ops import DropBatchConstraint


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_enrolment_course_index_in_unique"),
        ("provenance", "0001_initial"),
    ]

    operations = [
        DropBatchConstraint("course"),
        DropBatchConstraint("enrolment"),
        DropBatchConstraint("participanttally"),
    ]

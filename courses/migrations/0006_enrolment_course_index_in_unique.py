"""The enrolment's own index on the course goes: the unique (course, cadre) constraint's
index leads with the course and serves every look-up by course, and each insert paid for
both. Only the index is dropped (the same name on SQLite and PostgreSQL): letting Django
alter the field would rebuild the table on SQLite (and drop the summary triggers with it)
and re-validate the foreign key on PostgreSQL."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0005_drop_duplicate_cadre_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="enrolment",
                    name="course",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="enrolments",
                        to="courses.course",
                        verbose_name="course",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "courses_enrolment_course_id_610f89e2"',
                    reverse_sql='CREATE INDEX "courses_enrolment_course_id_610f89e2" '
                    'ON "courses_enrolment" ("course_id")',
                ),
            ],
        ),
    ]

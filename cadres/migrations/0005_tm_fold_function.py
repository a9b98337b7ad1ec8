"""tm_fold(text) on PostgreSQL: the folding used by every admin search (trainingmgr/search.py).

On SQLite the function is registered on each connection instead, so this does nothing there.
"""

from django.db import migrations

from trainingmgr.search import POSTGRESQL_DROP_SQL, postgresql_function_sql


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(postgresql_function_sql())


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("cadres", "0004_not_duplicate")]

    operations = [migrations.RunPython(create_function, drop_function, elidable=False)]

"""The link from an imported row to its batch (provenance.models.BatchTraced): no database
constraint on PostgreSQL, and a batch deleted through Django unlinks its rows either way."""

from django.db import connection

from cadres.models import Cadre
from courses.models import Course, Enrolment
from imports.models import ImportBatch
from imports.preview import traced_models

from .helpers import command, fixture


def _link_constraints(model):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [
        name
        for name, info in constraints.items()
        if info["foreign_key"] and info["columns"] == ["import_batch_id"]
    ]


def test_the_link_has_a_database_constraint_only_on_sqlite(db):
    models = traced_models()
    assert {Cadre, Course, Enrolment} <= set(models)
    for model in models:
        found = _link_constraints(model)
        if connection.vendor == "sqlite":
            # Kept there: dropping it would rebuild the table (provenance.migration_ops).
            assert found, model
        else:
            assert found == [], (model, found)


def test_a_batch_deleted_through_django_leaves_no_row_pointing_at_it(courses):
    assert command("participants", fixture("participants.xlsx"))[0] == 0
    batch = ImportBatch.objects.get(kind="participants")
    pk = batch.pk  # delete() sets the instance's pk to None
    assert Enrolment.objects.filter(import_batch_id=pk).count() == 7
    people = Cadre.objects.filter(import_batch_id=pk).count()
    assert people == 5
    batch.delete()  # through the imports proxy, as the admin does
    for model in traced_models():
        assert not model._base_manager.filter(import_batch_id=pk).exists(), model
    # The rows stay, unlinked (on_delete=SET_NULL).
    assert Enrolment.objects.count() == 7
    assert Cadre.objects.filter(import_batch__isnull=True).count() >= people


def test_no_one_deletes_a_batch_through_the_admin_not_even_a_superuser(courses, admin_user, client):
    """A batch is reverted, never deleted: deleting it would unlink its rows (above)."""
    assert command("participants", fixture("participants.xlsx"))[0] == 0
    batch = ImportBatch.objects.get(kind="participants")
    client.force_login(admin_user)
    url = f"/admin/imports/importbatch/{batch.pk}/delete/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    changelist = client.get("/admin/imports/importbatch/")
    assert changelist.status_code == 200
    assert b'value="delete_selected"' not in changelist.content
    assert b'value="revert_selected"' in changelist.content
    response = client.post(
        "/admin/imports/importbatch/",
        {"action": "delete_selected", "_selected_action": [batch.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert ImportBatch.objects.filter(pk=batch.pk).exists()
    assert Enrolment.objects.filter(import_batch_id=batch.pk).count() == 7

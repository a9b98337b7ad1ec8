"""A person imports a participants file through the admin: preview, confirm, result."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext

from cadres.models import Cadre
from courses.models import Enrolment
from imports.models import ImportBatch
from tests.conftest import login

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_imports_a_participants_file_through_the_admin(page, admin_user):
    call_command("import_spreadsheet", "courses", str(FIXTURES / "courses.xlsx"))
    login(page, "admin")
    page.goto("/admin/imports/importbatch/upload/?kind=participants")
    page.set_input_files("#id_file", str(FIXTURES / "participants.xlsx"))
    page.click("input[name=_check]")
    page.wait_for_selector("#import-counts")
    assert page.inner_text("#count-rows") == "7"
    assert page.inner_text("#count-created") == "7"
    assert page.inner_text("#count-people-created") == "5"
    assert "Tuyên Quang" in page.inner_text("#import-matches")  # what the rows matched
    page.click("#import-raw summary")  # the cells as in the file, folded below
    assert "Phó Giám đốc Sở Ngoại vụ" in page.inner_text("#import-sample")
    assert Enrolment.objects.count() == 0
    page.click("#confirm-import")
    page.wait_for_selector(".messagelist")
    with translation.override("vi"):  # the browser asks for Vietnamese
        people = gettext("people: %(matched)s matched, %(new)s created")
    assert people % {"matched": 0, "new": 5} in page.inner_text(".messagelist")
    batch = ImportBatch.objects.get(kind="participants")
    assert (batch.created, batch.user.username) == (7, "admin")
    assert Cadre.objects.count() == 5
    assert Enrolment.objects.count() == 7

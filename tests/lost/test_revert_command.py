"""An administrator previews and reverts a batch from the command line (revert_batch)."""

import io

from django.core.management import call_command

from cadres.models import Cadre, LanguageSkill
from courses.models import Enrolment
from imports.models import ImportBatch

from ..imports.helpers import command, fixture


def revert(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("revert_batch", *map(str, args), stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_it_previews_a_revert_and_changes_nothing(courses):
    command("participants", fixture("participants.xlsx"))
    batch = ImportBatch.objects.latest("id")
    tuan = Cadre.objects.get(full_name="Lê Minh Tuấn")
    LanguageSkill.objects.create(cadre=tuan, language="en", level=LanguageSkill.Level.B1)
    code, out, err = revert(batch.pk)
    assert code == 0, err
    assert "Would remove: 7 enrolments, 4 cadres" in out
    assert "Would keep: 2 rows" in out
    assert "language skills were added" in out
    assert "cadres of this import that are kept refer to it (agency Sở Ngoại vụ" in out
    assert "Lê Minh Tuấn" in out
    assert "001180000123" not in out  # never an ID number
    assert Cadre.objects.count() == 5
    assert Enrolment.objects.count() == 7
    assert ImportBatch.objects.get(pk=batch.pk).status == "applied"


def test_with_yes_it_reverts_and_prints_the_same_summary(courses):
    command("participants", fixture("participants.xlsx"))
    batch = ImportBatch.objects.latest("id")
    code, out, err = revert(batch.pk, "--yes")
    assert code == 0, err
    assert "Removed: 7 enrolments, 5 cadres" in out
    assert f"Batch {batch.pk} reverted." in out
    assert Cadre.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == "reverted"


def test_it_refuses_with_exit_1_and_a_clear_message(courses):
    command("participants", fixture("participants.xlsx"))
    batch = ImportBatch.objects.latest("id")
    assert revert(batch.pk, "--yes")[0] == 0
    code, _out, err = revert(batch.pk, "--yes")
    assert code == 1
    assert "already reverted" in err
    code, _out, err = revert(batch.pk)
    assert code == 1
    assert "already reverted" in err
    code, _out, err = revert("99999")
    assert code == 1
    assert "No import batch 99999" in err
    code, _out, err = revert("abc")
    assert code == 1
    assert "No import batch abc" in err

"""``manage.py flush`` leaves no summary behind: it DELETEs table by table with the triggers
on, and deleting the people and enrolments after the summary tables used to leave rows of -1
(reports.summaries.ensure_triggers, on the post_migrate signal flush sends)."""

import pytest
from django.core.management import call_command

from reports import summaries
from tests.imports.helpers import command, fixture


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_flushed_database_has_no_summary_rows_left():
    assert command("courses", fixture("courses.xlsx"))[0] == 0
    assert command("participants", fixture("participants.xlsx"))[0] == 0
    assert summaries.PersonSummary.objects.exists()
    assert summaries.CadreSummary.objects.exists()

    call_command("flush", interactive=False, verbosity=0)

    for model in (
        summaries.ParticipationSummary,
        summaries.CourseSummary,
        summaries.PersonSummary,
        summaries.CadreSummary,
    ):
        assert list(model.objects.values_list("n", flat=True)) == [], model
    assert summaries.differences() == {}

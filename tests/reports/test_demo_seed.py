"""The seed's 2016-2020 table, reproduced from the demo data (load_demo)."""

from django.core.management import call_command

from courses.models import Programme
from reports.figures import progress_json


def test_the_demo_reproduces_the_seed_table(db):
    call_command("load_demo")
    report = progress_json(Programme.objects.get(code="QD2007-2015"))
    assert report["totals"]["participant_times"] == 9000
    assert {
        code: report["by_rank"].get(code)
        for code in ("VU_TRUONG", "PHO_VU_TRUONG", "CAP_PHONG", "CHUYEN_VIEN")
    } == {"VU_TRUONG": 540, "PHO_VU_TRUONG": 900, "CAP_PHONG": 1800, "CHUYEN_VIEN": 5760}

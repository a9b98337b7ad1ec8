"""Random sheets never raise an unhandled error and never write part of a file."""

import csv
import io
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadres.models import Agency, Cadre, WorkforceBaseline
from courses.models import Course, Enrolment, ParticipantTally
from imports.kinds import KINDS
from imports.models import ImportBatch
from imports.services import run_import

HEADERS = sorted(
    {vi for importer in KINDS.values() for _f, vi, *_ in importer.COLUMNS}
    | {"STT", "Ghi chú", "DANH SÁCH HỌC VIÊN"}
)
cells = st.one_of(
    st.sampled_from(
        [
            "",
            "K2018-01",
            "K2019-02",
            "Hà Giang",
            "Chuyên viên",
            "31/02/2020",
            "01/01/1980",
            "-5",
            "12",
            "Nam",
            "Nữ",
            "001080000001",
            "a@b.vn",
            "Bộ Ngoại giao",
            "2020",
            "VT",
        ]
    ),
    st.text(alphabet=string.printable + "đĐàáạảãâầấậẩẫăằắặẳẵ\u0301", max_size=12),
)
rows = st.lists(st.lists(cells, max_size=7), max_size=8)


def counts():
    return [
        m.objects.count()
        for m in (
            Agency,
            Cadre,
            Course,
            Enrolment,
            ParticipantTally,
            WorkforceBaseline,
            ImportBatch,
        )
    ]


class Upload(io.BytesIO):
    name = "random.csv"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(sorted(KINDS)),
    header=st.lists(st.sampled_from(HEADERS), min_size=0, max_size=7),
    body=rows,
)
def test_random_sheets_are_imported_whole_or_not_at_all(courses, kind, header, body):
    out = io.StringIO()
    csv.writer(out).writerows([header, *body])
    before = counts()
    result = run_import(kind, Upload(out.getvalue().encode()))
    after = counts()
    if result.ok:
        assert result.batch is not None
        assert after[-1] == before[-1] + 1
        assert result.created + result.updated + result.unchanged == result.rows
    else:
        assert after == before, result.error_lines()
        assert all(line for line in result.error_lines())

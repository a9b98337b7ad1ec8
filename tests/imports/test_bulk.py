"""The importers' bulk writers (imports/bulk.py), tested directly: what they insert is what
the ORM reads back, in order, with the model's defaults."""

import datetime

from cadres.models import Cadre, Locality, Rank
from courses.models import Course, CourseType, Enrolment
from imports.bulk import insert_returning_pks, insert_rows, rows_per_statement

COLUMNS = [
    "full_name",
    "name_key",
    "gender",
    "birth_date",
    "birth_year",
    "id_number",
    "email",
    "rank_id",
]


ENROLMENT_COLUMNS = ["course_id", "cadre_id", "status", "certificate_number", "rank_id"]


def a_course(code):
    return Course.objects.create(
        code=code,
        title="Bulk",
        course_type=CourseType.objects.order_by("pk").first(),
        start_date=datetime.date(2026, 1, 5),
        locality=Locality.objects.current().first(),
    )


def person(name, **values):
    rank = Rank.objects.get(code=Rank.OTHER)
    cadre = Cadre(full_name=name, rank=rank, **values).normalised_values()
    return tuple(getattr(cadre, c) for c in COLUMNS)


def test_insert_returning_pks_gives_the_pks_in_order_and_the_values_read_back(db):
    rows = [
        person("  Nguyễn   Văn An ", birth_date=datetime.date(1980, 1, 2), email=" A@X.VN "),
        person("Trần Thị Bình", birth_year=1975, id_number="001175000001"),
        *[person(f"Người {i}") for i in range(1200)],  # several chunks of 500
    ]
    pks = insert_returning_pks(Cadre, COLUMNS, rows)
    assert len(pks) == len(rows) == len(set(pks))
    first, second = Cadre.objects.get(pk=pks[0]), Cadre.objects.get(pk=pks[1])
    assert (first.full_name, first.name_key, first.email) == (
        "Nguyễn Văn An",
        "nguyenvanan",
        "a@x.vn",
    )
    assert (first.birth_date, first.birth_year) == (datetime.date(1980, 1, 2), 1980)
    assert (second.birth_year, second.id_number) == (1975, "001175000001")
    assert Cadre.objects.get(pk=pks[-1]).full_name == "Người 1199"
    # The other columns get the model's defaults (no locality, no position; timestamps now).
    assert first.locality_id is None
    assert first.position == ""
    assert first.created_at is not None


def test_insert_returning_pks_of_nothing_inserts_nothing(db):
    assert insert_returning_pks(Cadre, COLUMNS, []) == []
    assert not Cadre.objects.exists()


def test_insert_rows_writes_enrolments_as_column_values(db):
    course = a_course("B-1")
    pks = insert_returning_pks(Cadre, COLUMNS, [person("A"), person("B")])
    rank = Rank.objects.order_by("pk").first()
    columns = ENROLMENT_COLUMNS
    insert_rows(Enrolment, columns, [(course.pk, pk, "completed", "", rank.pk) for pk in pks])
    insert_rows(Enrolment, columns, [])
    got = list(Enrolment.objects.order_by("cadre_id").values_list("cadre_id", "status", "rank_id"))
    assert got == [(pks[0], "completed", rank.pk), (pks[1], "completed", rank.pk)]


def test_insert_rows_writes_every_row_over_several_statements(db):
    course = a_course("B-2")
    columns = ENROLMENT_COLUMNS
    count = 2 * rows_per_statement(len(columns)) + 3  # two full statements and a short one
    pks = insert_returning_pks(Cadre, COLUMNS, [person(f"Người {i}") for i in range(count)])
    rank = Rank.objects.order_by("pk").first()
    insert_rows(Enrolment, columns, [(course.pk, pk, "attended", "", rank.pk) for pk in pks])
    got = list(Enrolment.objects.order_by("cadre_id").values_list("cadre_id", flat=True))
    assert got == sorted(pks)

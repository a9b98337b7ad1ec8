"""The report's pre-computed summaries (reports.summaries): the figures read from them are
the figures read from the rows, for every filter, and they stay exact after every kind of
write (checked with ``recompute_summaries --check`` after each one), on both databases."""

import datetime
import io
import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.http import QueryDict
from django.urls import reverse

from cadres.models import Agency, Cadre, Locality, Rank
from courses.models import Course, CourseType, Enrolment, ParticipantTally, Programme
from courses.services import merge_cadres
from imports.models import ImportBatch
from imports.services import revert_batch
from reports import summaries
from reports.figures import ProgrammeData, Reference
from reports.report import ReportFilters, build_report
from tests.access.conftest import lao_cai_clerk, ministry_clerk  # noqa: F401 (personas)
from tests.imports.helpers import command, fixture, write_csv

FAR_FUTURE = datetime.date(2099, 1, 1)


def assert_exact():
    """The check command finds no difference between the summaries and the rows."""
    out = io.StringIO()
    call_command("recompute_summaries", "--check", stdout=out, stderr=io.StringIO())
    assert "The summaries match the rows." in out.getvalue()  # English, as every command
    assert summaries.differences() == {}


def figures(programme, query="", user=None, use_summaries=True):
    """Everything the page shows: the JSON, the tables and the chart data."""
    ref = Reference.load()
    filters = ReportFilters.from_query(QueryDict(query), ref)
    as_of = filters.as_of or datetime.date.today()
    data = ProgrammeData(programme, ref, as_of=as_of, user=user, use_summaries=use_summaries)
    report = build_report(programme, filters, ref, user=user, data=data)
    tables = [(t.key, t.rows, t.footer) for t in report.tables]
    return report.as_json(), tables, report.by_year, report.by_rank, report.by_unit, data


def assert_same_figures(programme, query="", user=None):
    summarised = figures(programme, query, user)
    from_rows = figures(programme, query, user, use_summaries=False)
    assert summarised[:5] == from_rows[:5], query
    return summarised[-1]


# --- generated data ---------------------------------------------------------------------------


@pytest.fixture
def generated(db):
    """Two programmes, 24 courses over 2016-2022 at home and abroad of every type; cadres of
    current and former provinces, central level and none; every status; tallies on courses
    without names and on one with names (which must not count)."""
    ranks = list(Rank.objects.order_by("code"))
    types = list(CourseType.objects.order_by("code"))[:4]
    localities = [
        Locality.objects.get(era="current", code="01"),
        Locality.objects.get(era="current", code="15"),
        Locality.objects.get(era="former", code="15"),
        Locality.objects.get(era="current", code="TW"),
        None,
    ]
    main = Programme.objects.get(code="QD2007-2015")
    other = Programme.objects.get(code="QD1275-2020")
    cadres = [
        Cadre.objects.create(
            full_name=f"Học viên {i}", rank=ranks[i % len(ranks)], locality=localities[i % 5]
        )
        for i in range(30)
    ]
    statuses = list(Enrolment.Status.values)
    courses = []
    for i in range(24):
        course = Course.objects.create(
            code=f"G{i:02d}",
            title=f"Khóa {i}",
            programme=main if i % 4 else other,
            course_type=types[i % len(types)],
            start_date=datetime.date(2016 + i % 7, 1 + i % 12, 3),
            country="Nhật Bản" if i % 5 == 0 else "",
        )
        courses.append(course)
        if i % 6 == 5:  # tallies only
            for j, rank in enumerate(ranks[:3]):
                ParticipantTally.objects.create(
                    course=course, rank=rank, locality=localities[j % 4], count=3 + j
                )
            continue
        for j, cadre in enumerate(cadres):
            if (i + j) % 3 == 0:
                Enrolment.objects.create(
                    course=course,
                    cadre=cadre,
                    status=statuses[(i + j) % len(statuses)],
                    rank=ranks[(i + j) % len(ranks)],
                    locality=localities[(i * j) % 5],
                )
    ParticipantTally.objects.create(course=courses[1], rank=ranks[0], count=99)
    return main, other, courses, cadres


QUERIES = [
    "",
    "year_from=2018",
    "year_to=2019",
    "year_from=2017&year_to=2019",
    "rank=CHUYEN_VIEN",
    "type=KIEN_THUC",
    "level=central",
    "level=local",
    "locality=15",
    "locality=01&year_from=2018",
    "type=KY_NANG&year_to=2020",
    "rank=VU_TRUONG&locality=15&type=KIEN_THUC",
    "recorded=1",
    "recorded=1&year_from=2019",
    "as_of=2019-06-30",
    "as_of=2019-06-30&locality=01",
    f"as_of={FAR_FUTURE.isoformat()}",
]


def test_the_summaries_give_the_figures_of_the_rows_for_every_filter(generated):
    main, other, _courses, _cadres = generated
    assert_exact()
    for query in QUERIES:
        data = assert_same_figures(main, query)
        assert_same_figures(other, query)
        # the page really read the summaries, unless a course starts after "as of"
        assert data.summarised == ("as_of=2019" not in query), query


def test_the_summaries_give_the_figures_of_the_rows_for_scoped_users(
    generated,
    lao_cai_clerk,  # noqa: F811
    ministry_clerk,  # noqa: F811
):
    main, _other, _courses, _cadres = generated
    agency = Agency.objects.get(code="BNG")
    Enrolment.objects.filter(pk__in=Enrolment.objects.values("pk")[:40]).update(agency=agency)
    Course.objects.filter(code__in=["G01", "G05"]).update(organiser=agency)
    assert_exact()
    for user, query in itertools.product(
        [lao_cai_clerk, ministry_clerk], ["", "year_from=2018", "type=KIEN_THUC"]
    ):
        assert_same_figures(main, query, user)


def test_the_page_shows_the_figures_of_the_summaries(generated, client, admin_user):
    main, _other, _courses, _cadres = generated
    client.force_login(admin_user)
    response = client.get(reverse("reports:programme_detail", args=[main.code]))
    assert response.status_code == 200
    from_rows = figures(main, use_summaries=False)[0]
    assert response.context["report"].as_json() == from_rows


# --- every kind of write keeps them exact ---------------------------------------------------


def post_data(response):
    """The data an admin change form posts as it stands: the form and its inline formsets."""
    data = {}

    def add(form):
        for bound in form:
            if bound.field.disabled:
                continue
            value = bound.value()
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
                continue
            if value is None:
                value = ""
            if isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
                continue
            if isinstance(value, datetime.date):
                value = value.strftime("%d/%m/%Y")
            data[bound.html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


def admin_save(client, url, **changes):
    response = client.get(url)
    assert response.status_code == 200
    data = post_data(response)
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, getattr(response, "context", None) and [
        response.context["adminform"].form.errors,
        [i.formset.errors for i in response.context["inline_admin_formsets"]],
    ]
    return response


def counted(programme):
    return figures(programme)[0]["totals"]["participant_times"]


def test_admin_course_edits_keep_the_summaries_exact(generated, client, admin_user):
    main, other, courses, _cadres = generated
    client.force_login(admin_user)
    course = courses[2]
    url = reverse("admin:courses_course_change", args=[course.pk])
    before_main, before_other = counted(main), counted(other)
    moved = course.enrolments.counted().count()
    assert moved
    # another programme, year, type and country: the course's participants move with it
    admin_save(
        client,
        url,
        programme=str(other.pk),
        start_date="05/03/2021",
        course_type=str(CourseType.objects.get(code="HOI_THAO").pk),
        country="Pháp",
    )
    course.refresh_from_db()
    assert (course.programme, course.start_date.year, course.country) == (other, 2021, "Pháp")
    assert_exact()
    assert counted(main) == before_main - moved
    assert counted(other) == before_other + moved
    assert_same_figures(main)
    assert_same_figures(other)
    # an enrolment's status changed in the course's inline
    response = client.get(url)
    data = post_data(response)
    enrolment = course.enrolments.counted().order_by("pk").first()
    index = next(
        i
        for i in range(int(data["enrolments-TOTAL_FORMS"]))
        if data.get(f"enrolments-{i}-id") == str(enrolment.pk)
    )
    data[f"enrolments-{index}-status"] = Enrolment.Status.WITHDRAWN
    assert client.post(url, data).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.WITHDRAWN
    assert_exact()
    assert counted(other) == before_other + moved - 1


def test_admin_course_add_and_delete_with_its_enrolments(generated, client, admin_user):
    main, _other, courses, cadres = generated
    client.force_login(admin_user)
    before = counted(main)
    data = {
        "code": "K-NEW",
        "title": "Kỹ năng đàm phán",
        "programme": str(main.pk),
        "course_type": str(CourseType.objects.get(code="KY_NANG").pk),
        "status": Course.Status.FINISHED,
        "start_date": "16/11/2019",
        "end_date": "",
        "country": "",
        "mode": Course.Mode.IN_PERSON,
        "pass_mark": "5",
        "enrolments-TOTAL_FORMS": "2",
        "enrolments-INITIAL_FORMS": "0",
        "enrolments-0-cadre": str(cadres[0].pk),
        "enrolments-0-status": Enrolment.Status.COMPLETED,
        "enrolments-1-cadre": str(cadres[1].pk),
        "enrolments-1-status": Enrolment.Status.REGISTERED,
        "tallies-TOTAL_FORMS": "0",
        "tallies-INITIAL_FORMS": "0",
    }
    response = client.get(reverse("admin:courses_course_add"))
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.setdefault(f"{prefix}-TOTAL_FORMS", "0")
        data.setdefault(f"{prefix}-INITIAL_FORMS", "0")
    response = client.post(reverse("admin:courses_course_add"), data)
    assert response.status_code == 302
    course = Course.objects.get(code="K-NEW")
    assert course.enrolments.count() == 2
    assert_exact()
    assert counted(main) == before + 1
    # deleted through the admin: its enrolments go with it (Django's cascade)
    victim = courses[3]
    gone = victim.enrolments.counted().count()
    url = reverse("admin:courses_course_delete", args=[victim.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Course.objects.filter(pk=victim.pk).exists()
    assert not Enrolment.objects.filter(course_id=victim.pk).exists()
    assert_exact()
    assert counted(main) == before + 1 - gone
    assert_same_figures(main)


def test_admin_enrolment_and_tally_add_edit_delete(generated, client, admin_user):
    main, _other, courses, _cadres = generated
    client.force_login(admin_user)
    course = courses[7]
    newcomer = Cadre.objects.create(
        full_name="Người mới", rank=Rank.objects.get(code="CAP_PHONG"), locality=None
    )
    before = counted(main)
    add = reverse("admin:courses_enrolment_add")
    response = client.get(add)
    data = post_data(response)
    data.update(course=str(course.pk), cadre=str(newcomer.pk), status="attended")
    assert client.post(add, data).status_code == 302
    enrolment = Enrolment.objects.get(cadre=newcomer)
    assert_exact()
    assert counted(main) == before + 1
    # moved to another course of the other programme and another locality
    url = reverse("admin:courses_enrolment_change", args=[enrolment.pk])
    admin_save(
        client,
        url,
        course=str(courses[4].pk),
        locality=str(Locality.objects.get(era="current", code="01").pk),
        status="completed",
    )
    enrolment.refresh_from_db()
    assert enrolment.course == courses[4]
    assert enrolment.locality.code == "01"
    assert_exact()
    delete = reverse("admin:courses_enrolment_delete", args=[enrolment.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Enrolment.objects.filter(pk=enrolment.pk).exists()
    assert_exact()
    assert counted(main) == before
    # tallies: added, edited, deleted (read from their table, the figures follow)
    tallied = courses[5]
    add = reverse("admin:courses_participanttally_add")
    data = post_data(client.get(add))
    data.update(course=str(tallied.pk), rank=str(Rank.objects.get(code="CAP_PHONG").pk), count="11")
    assert client.post(add, data).status_code == 302
    tally = ParticipantTally.objects.get(course=tallied, count=11)
    assert counted(main) == before + 11
    admin_save(client, reverse("admin:courses_participanttally_change", args=[tally.pk]), count="4")
    assert counted(main) == before + 4
    delete = reverse("admin:courses_participanttally_delete", args=[tally.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert counted(main) == before
    assert_exact()
    assert_same_figures(main)


def test_every_import_kind_and_their_reverts(db, tmp_path):
    programme = Programme.objects.get(code="QD2007-2015")
    for kind, name in [
        ("courses", "courses.xlsx"),
        ("courses", "courses_en.csv"),
        ("participants", "participants.xlsx"),
        ("tallies", "tallies.csv"),
        ("baselines", "baselines.xlsx"),
    ]:
        code, _out, err = command(kind, fixture(name))
        assert code == 0, err
        assert_exact()
    assert Enrolment.objects.count() == 7
    # named: 3 on K2018-01 and 3 on K2019-02; tallied: K2020-03
    assert counted(programme) == 3 + 3 + 5 + 7 + 1000 + 12
    assert_same_figures(programme)
    participants = ImportBatch.objects.filter(kind="participants").latest("id")
    # a course moved to another year by a re-import, then reverted
    path = write_csv(
        tmp_path,
        "c.csv",
        [
            ["Mã khóa", "Tên khóa", "Mã đề án", "Loại khóa", "Ngày bắt đầu", "Ngày kết thúc"],
            [
                "K2019-02",
                "Kỹ năng đàm phán quốc tế",
                "QD1275-2020",
                "KY_NANG",
                "15/05/2021",
                "20/05/2021",
            ],
        ],
    )
    code, out, err = command("courses", path)
    assert code == 0, err
    assert "1 updated" in out
    assert Course.objects.get(code="K2019-02").programme.code == "QD1275-2020"
    assert_exact()
    revert_batch(ImportBatch.objects.latest("id"))
    assert Course.objects.get(code="K2019-02").programme == programme
    assert_exact()
    # the participants import reverted: people and enrolments deleted
    revert_batch(participants)
    assert Enrolment.objects.count() == 0
    assert Cadre.objects.count() == 0
    assert_exact()
    assert counted(programme) == 5 + 7 + 1000 + 12
    assert_same_figures(programme)


def test_a_merge_of_two_cadres_on_the_same_course(generated):
    main, _other, _courses, cadres = generated
    keep, remove = cadres[0], cadres[3]
    shared = set(keep.enrolments.values_list("course_id", flat=True)) & set(
        remove.enrolments.values_list("course_id", flat=True)
    )
    assert shared  # one enrolment of the two is dropped, its status folded in
    people = figures(main)[0]["totals"]["distinct_cadres"]
    merge_cadres(keep=keep, remove=remove)
    assert not Cadre.objects.filter(pk=remove.pk).exists()
    assert_exact()
    assert figures(main)[0]["totals"]["distinct_cadres"] == people - 1
    assert_same_figures(main)


def test_a_cadre_deleted_with_their_enrolments_and_raw_sql(generated):
    main, _other, courses, cadres = generated
    with transaction.atomic():
        victim = cadres[5]
        victim.enrolments.all().delete()
        victim.delete()
    assert_exact()
    # raw SQL, as the bulk import writes: an UPDATE of many rows and a DELETE
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE courses_enrolment SET status = 'completed' WHERE status = 'registered'"
        )
        cursor.execute(
            "UPDATE courses_enrolment SET course_id = %s WHERE course_id = %s",
            [
                courses[11].pk,
                courses[10].pk,
            ],
        )
        cursor.execute("DELETE FROM courses_enrolment WHERE cadre_id = %s", [cadres[7].pk])
    assert_exact()
    assert_same_figures(main)
    Course.objects.filter(pk=courses[9].pk).update(start_date=datetime.date(2020, 12, 31))
    Course.objects.filter(pk=courses[13].pk).update(programme=None)
    assert_exact()
    assert_same_figures(main)
    courses[14].delete()
    assert_exact()


def test_the_check_reports_a_difference_and_recompute_repairs_it(generated):
    main, _other, _courses, _cadres = generated
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {summaries.PARTICIPATION} SET n = n + 1")
        cursor.execute(f"DELETE FROM {summaries.PEOPLE}")
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("recompute_summaries", "--check", stdout=io.StringIO(), stderr=err)
    assert raised.value.returncode == 1
    assert summaries.PARTICIPATION in err.getvalue()
    assert summaries.PEOPLE in err.getvalue()
    out = io.StringIO()
    call_command("recompute_summaries", stdout=out)
    assert summaries.PEOPLE in out.getvalue()
    assert_exact()
    assert_same_figures(main)


def test_a_migration_that_drops_a_trigger_gets_it_back_at_the_next_migrate(generated):
    """SQLite drops a table's triggers when a migration rebuilds it: after every migrate the
    missing ones are created again and the summaries rebuilt from the rows."""
    main, _other, _courses, _cadres = generated
    assert summaries.missing_triggers(connection) == set()
    with connection.cursor() as cursor:
        for statement in summaries.drop_triggers_sql(connection.vendor):
            cursor.execute(statement)
    assert summaries.missing_triggers(connection)
    Enrolment.objects.filter(course__programme=main).first().delete()  # missed by the summaries
    call_command("migrate", verbosity=0)
    assert summaries.missing_triggers(connection) == set()
    assert_exact()
    assert_same_figures(main)

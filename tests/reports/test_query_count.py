"""The number of queries of a programme page does not grow with the data."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Cadre, Locality, Rank
from courses.models import Course, CourseType, Enrolment, ParticipantTally, Programme
from tests.reports.conftest import add_target


def build(programme, enrolments, prefix):
    """enrolments spread over 10 courses, 5 ranks and every locality, plus 3 tally courses."""
    ranks = list(Rank.objects.all())
    localities = list(Locality.objects.all())
    kinds = list(CourseType.objects.all())
    courses = Course.objects.bulk_create(
        Course(
            code=f"{prefix}{i}",
            title="x",
            programme=programme,
            course_type=kinds[i % len(kinds)],
            start_date=datetime.date(2016 + i % 5, 3, 1),
            country="Lào" if i % 4 == 0 else "",
        )
        for i in range(13)
    )
    cadres = Cadre.objects.bulk_create(
        Cadre(
            full_name=f"{prefix} {i}",
            name_key=f"{prefix}{i}",
            rank=ranks[i % len(ranks)],
            locality=localities[i % len(localities)],
        )
        for i in range(enrolments)
    )
    Enrolment.objects.bulk_create(
        Enrolment(
            course=courses[i % 10],
            cadre=cadre,
            rank_id=cadre.rank_id,
            locality_id=cadre.locality_id,
            status="attended" if i % 7 else "withdrawn",
        )
        for i, cadre in enumerate(cadres)
    )
    ParticipantTally.objects.bulk_create(
        ParticipantTally(course=course, rank=ranks[0], locality=localities[0], count=5)
        for course in courses[10:]
    )


def queries_of_page(client, code):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("reports:programme_detail", args=[code]))
    assert response.status_code == 200
    # The session's own write (SESSION_SAVE_EVERY_REQUEST: idle expiry) is not the page's.
    page = [q for q in captured.captured_queries if "django_session" not in q["sql"]]
    return len(page), response.context["report"]


def test_same_query_count_for_10_and_10000_enrolments(client, manager):
    small = Programme.objects.create(code="SMALL", name="s", first_year=2016, last_year=2020)
    large = Programme.objects.create(code="LARGE", name="l", first_year=2016, last_year=2020)
    for programme in (small, large):
        add_target(type("W", (), {"programme": programme}), "PT", "participant_times", 100)
        add_target(type("W", (), {"programme": programme}), "LOC", "per_locality_min", 2)
        add_target(type("W", (), {"programme": programme}), "COV", "coverage_pct", 50)
    build(small, 10, "S")
    build(large, 10_000, "L")
    client.force_login(manager)
    queries_of_page(client, "SMALL")  # warm the session and content types
    small_count, small_report = queries_of_page(client, "SMALL")
    large_count, large_report = queries_of_page(client, "LARGE")
    assert small_report.totals["participant_times"] == 8 + 15  # 10 minus 2 withdrawn, tallies
    assert large_report.totals["participant_times"] == 10_000 - 1429 + 15
    assert small_count == large_count
    # 20 for the report itself; the plans' approved share and the evaluations block add
    # theirs (a query or two each), constant in the data like the rest.
    assert large_count <= 24

"""Random values fired at the admin's add forms of courses, cadres, enrolments and tallies
(as the superuser): never a server error, and either the whole object is saved (with its
inline rows) or nothing at all changes.

Deterministic (``derandomize``: the same examples on every run, so a failure repeats), and
each saved object is checked against what was posted: an inline row left blank is skipped
by the admin, one that is filled is saved whole."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from cadres.models import Cadre, LanguageSkill, Locality, Rank
from courses.models import Course, CourseType, Enrolment, ParticipantTally

MODELS = [Course, Cadre, Enrolment, ParticipantTally, LanguageSkill]
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
    derandomize=True,
)
ENROLMENT_STATUS_DEFAULT = Enrolment._meta.get_field("status").default


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def anything(*valid):
    """A value a person or an attacker might post: a valid one, text, a number, a date in
    some format, an out-of-range id, or nothing."""
    return st.one_of(
        st.sampled_from(valid or ("",)),
        st.text(max_size=40),
        st.integers(min_value=-(2**63), max_value=2**63).map(str),
        st.dates(min_value=datetime.date(1, 1, 1)).map(lambda d: d.strftime("%d/%m/%Y")),
        st.dates().map(str),
        st.just(""),
    )


class AddFormsUnderRandomValues(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = User.objects.create_superuser("fuzz", "fuzz@example.vn", "x")
        cls.rank = Rank.objects.get(code=Rank.OFFICER)
        cls.locality = Locality.objects.get(code="15", era="current")
        cls.course_type = CourseType.objects.get(code="KY_NANG")
        cls.cadre = Cadre.objects.create(full_name="Lò Thị Mai", rank=cls.rank)
        cls.course = Course.objects.create(
            code="FUZZ-1", title="Khóa", course_type=cls.course_type, start_date="2020-01-02"
        )

    def post(self, url_name, data):
        # Logged in for each example: each one runs in its own rolled-back transaction,
        # which takes the session row with it.
        client = Client()
        client.force_login(self.admin)
        before = counts()
        response = client.post(reverse(url_name), data)
        assert response.status_code in (200, 302), response.content[:300]
        if response.status_code == 200:  # refused: the form again, nothing written
            assert counts() == before
        return response, before

    @FUZZ
    @given(
        code=anything("FUZZ-NEW", "FUZZ-1"),
        title=anything("Bồi dưỡng"),
        start=anything("02/01/2020"),
        end=anything("01/01/2020", "03/01/2020"),
        locality=anything("15"),
        country=anything("Lào"),
        planned=anything("85"),
        budget=anything("150000000"),
        cadre=anything("cadre"),
        status=anything("attended", "completed"),
        count=anything("12"),
        gender=anything("M", "F"),
    )
    def test_course_with_its_inlines(
        self,
        code,
        title,
        start,
        end,
        locality,
        country,
        planned,
        budget,
        cadre,
        status,
        count,
        gender,
    ):
        ids = {"15": self.locality.pk, "cadre": self.cadre.pk}
        data = {
            "code": code,
            "title": title,
            "course_type": self.course_type.pk,
            "status": "finished",
            "start_date": start,
            "end_date": end,
            "locality": ids.get(locality, locality),
            "country": country,
            "mode": "in_person",
            "planned_participants": planned,
            "budget_planned": budget,
            "enrolments-TOTAL_FORMS": "1",
            "enrolments-INITIAL_FORMS": "0",
            "enrolments-0-cadre": ids.get(cadre, cadre),
            "enrolments-0-status": status,
            "tallies-TOTAL_FORMS": "1",
            "tallies-INITIAL_FORMS": "0",
            "tallies-0-rank": self.rank.pk,
            "tallies-0-gender": gender,
            "tallies-0-count": count,
        }
        response, before = self.post("admin:courses_course_add", data)
        if response.status_code == 302:
            course = Course.objects.get(code=code.strip())
            # Whole: the course, its enrolment row (unless left blank) and its tally row.
            if cadre == "" and status == ENROLMENT_STATUS_DEFAULT:
                assert not course.enrolments.exists()
            else:
                assert course.enrolments.get().cadre_id == self.cadre.pk
            assert course.tallies.get().count == int(count)
            assert counts()["Course"] == before["Course"] + 1

    @FUZZ
    @given(
        full_name=anything("Vàng Thị Dung"),
        gender=anything("F"),
        birth_date=anything("05/06/1980"),
        birth_year=anything("1980"),
        id_number=anything("015180000123"),
        email=anything("dung@laocai.gov.vn"),
        language=anything("en"),
        level=anything("4"),
    )
    def test_cadre_with_a_language(
        self, full_name, gender, birth_date, birth_year, id_number, email, language, level
    ):
        data = {
            "full_name": full_name,
            "gender": gender,
            "birth_date": birth_date,
            "birth_year": birth_year,
            "id_number": id_number,
            "email": email,
            "position": "",
            "rank": self.rank.pk,
            "agency": "",
            "locality": self.locality.pk,
            "languages-TOTAL_FORMS": "1",
            "languages-INITIAL_FORMS": "0",
            "languages-0-language": language,
            "languages-0-level": level,
            "enrolments-TOTAL_FORMS": "0",
            "enrolments-INITIAL_FORMS": "0",
        }
        response, before = self.post("admin:cadres_cadre_add", data)
        if response.status_code == 302:
            cadre = Cadre.objects.latest("pk")
            assert counts()["Cadre"] == before["Cadre"] + 1
            if language.strip() == "" and level == "":  # a blank row: skipped, not saved
                assert not cadre.languages.exists()
            else:
                assert cadre.languages.get().level == int(level)

    def test_a_blank_language_row_is_skipped_and_a_filled_one_saved(self):
        """The two cases the random test tells apart, each once for certain."""
        data = {
            "full_name": "Vàng Thị Dung",
            "gender": "F",
            "birth_year": "1980",
            "rank": self.rank.pk,
            "locality": self.locality.pk,
            "languages-TOTAL_FORMS": "1",
            "languages-INITIAL_FORMS": "0",
            "languages-0-language": "",
            "languages-0-level": "",
            "enrolments-TOTAL_FORMS": "0",
            "enrolments-INITIAL_FORMS": "0",
        }
        response, _before = self.post("admin:cadres_cadre_add", data)
        assert response.status_code == 302
        assert not Cadre.objects.latest("pk").languages.exists()
        response, _before = self.post(
            "admin:cadres_cadre_add",
            {
                **data,
                "full_name": "Lò Văn Sáng",
                "languages-0-language": "en",
                "languages-0-level": "4",
            },
        )
        assert response.status_code == 302
        assert Cadre.objects.latest("pk").languages.get().level == 4

    @FUZZ
    @given(
        course=anything("course"),
        cadre=anything("cadre"),
        status=anything("attended", "withdrawn"),
        certificate=anything("CC-1"),
        locality=anything("15"),
    )
    def test_enrolment(self, course, cadre, status, certificate, locality):
        ids = {"course": self.course.pk, "cadre": self.cadre.pk, "15": self.locality.pk}
        data = {
            "course": ids.get(course, course),
            "cadre": ids.get(cadre, cadre),
            "status": status,
            "certificate_number": certificate,
            "rank": self.rank.pk,
            "agency": "",
            "locality": ids.get(locality, locality),
        }
        response, before = self.post("admin:courses_enrolment_add", data)
        if response.status_code == 302:
            assert counts()["Enrolment"] == before["Enrolment"] + 1
            assert Enrolment.objects.latest("pk").status == status

    @FUZZ
    @given(
        course=anything("course"),
        rank=anything("rank"),
        locality=anything("15"),
        gender=anything("M"),
        count=anything("40"),
    )
    def test_tally(self, course, rank, locality, gender, count):
        ids = {"course": self.course.pk, "rank": self.rank.pk, "15": self.locality.pk}
        data = {
            "course": ids.get(course, course),
            "rank": ids.get(rank, rank),
            "locality": ids.get(locality, locality),
            "gender": gender,
            "count": count,
        }
        response, before = self.post("admin:courses_participanttally_add", data)
        if response.status_code == 302:
            assert counts()["ParticipantTally"] == before["ParticipantTally"] + 1
            assert ParticipantTally.objects.latest("pk").count == int(count)


@pytest.mark.django_db
def test_a_key_beyond_64_bits_is_a_form_error_not_a_500(admin_client):
    from courses.models import Course

    before = Course.objects.count()
    response = admin_client.post(
        "/admin/courses/course/add/",
        {
            "code": "K-OVER",
            "title": "x",
            "course_type": "1",
            "locality": str(2**63),
            "start_date": "01/01/2021",
        },
    )
    assert response.status_code == 200
    assert "locality" in response.context["adminform"].form.errors
    assert Course.objects.count() == before

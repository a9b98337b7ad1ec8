"""A clerk types without diacritics, in any case, and finds what is written with them: on
every changelist and in every autocomplete (one rule, trainingmgr/search.py)."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from cadres.models import Agency, LanguageSkill, Locality, Rank, WorkforceBaseline
from courses.models import CourseType, Programme, Target
from trainingmgr.search import fold_for_search

# The personas with a scope (fixtures of tests/access/conftest.py).
from ..access import conftest as access_personas
from .conftest import enrol, locality, make_agency, make_cadre, make_course, rank, tally

lao_cai_clerk = access_personas.lao_cai_clerk


def changelist(client, model, query):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def autocomplete(client, source, field_name, term):
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": term,
            "app_label": source._meta.app_label,
            "model_name": source._meta.model_name,
            "field_name": field_name,
        },
    )
    assert response.status_code == 200, response.content
    return [item["text"] for item in response.json()["results"]]


@pytest.fixture
def as_admin(admin_client_for, admin_user):
    return admin_client_for(admin_user)


def test_folding_removes_vietnamese_diacritics_and_case():
    assert fold_for_search("Thừa Thiên - Huế") == "thua thien - hue"
    assert fold_for_search("ĐÀ NẴNG") == "da nang"
    assert fold_for_search("Học viện Ngoại giao") == "hoc vien ngoai giao"
    assert fold_for_search("Tiếng Anh") == "tieng anh"
    # Typed decomposed (NFD): the combining marks go too.
    assert fold_for_search("Tie\u0302\u0301ng") == "tieng"


def test_the_database_folds_as_python_does(db):
    """tm_fold() of SQLite and PostgreSQL gives what fold_for_search() gives."""
    from django.db import connection

    samples = [
        "Thừa Thiên Huế",
        "ĐẮK LẮK",
        "Ủy ban nhân dân",
        "Bộ Ngoại giao",
        "Ðà",
        "Tie\u0302\u0301ng",
    ]
    with connection.cursor() as cursor:
        for sample in samples:
            cursor.execute("SELECT tm_fold(%s)", [sample])
            assert cursor.fetchone()[0] == fold_for_search(sample), sample


# Changelists: one per admin.


def test_course_list_finds_tieng_anh(as_admin):
    wanted = make_course(title="Bồi dưỡng Tiếng Anh chuyên ngành")
    make_course(title="Kỹ năng đàm phán")
    assert changelist(as_admin, type(wanted), "tieng anh") == [wanted]
    assert changelist(as_admin, type(wanted), "TIENG ANH") == [wanted]
    assert changelist(as_admin, type(wanted), "Tiếng Anh") == [wanted]


def test_course_list_finds_by_organiser_without_diacritics(as_admin):
    wanted = make_course(organiser=Agency.objects.get(code="HVNG"))
    make_course(organiser=Agency.objects.get(code="BCT"))
    assert changelist(as_admin, type(wanted), "hoc vien") == [wanted]


def test_cadre_list_finds_names_without_diacritics_or_spaces(as_admin):
    wanted = make_cadre("Đặng Thị Hằng")
    make_cadre("Nguyễn Văn An")
    Cadre = type(wanted)
    assert changelist(as_admin, Cadre, "dang thi hang") == [wanted]
    assert changelist(as_admin, Cadre, "dangthihang") == [wanted]  # today's rule, kept


def test_cadre_list_finds_position_without_diacritics(as_admin):
    wanted = make_cadre(position="Chuyên viên Sở Ngoại vụ")
    make_cadre(position="Giám đốc")
    assert changelist(as_admin, type(wanted), "so ngoai vu") == [wanted]


def test_agency_list_finds_bo_ngoai_giao(as_admin):
    found = changelist(as_admin, Agency, "bo ngoai giao")
    assert [agency.code for agency in found] == ["BNG"]


def test_locality_list_finds_da_nang_ha_noi_hue(as_admin):
    assert {str(x.name) for x in changelist(as_admin, Locality, "da nang")} == {"Thành phố Đà Nẵng"}
    assert {x.code for x in changelist(as_admin, Locality, "ha noi")} == {"01"}
    assert "46" in {x.code for x in changelist(as_admin, Locality, "hue")}


def test_rank_list_finds_lanh_dao(as_admin):
    found = changelist(as_admin, Rank, "lanh dao bo")
    assert [r.code for r in found] == ["LANH_DAO_BO_TINH"]


def test_course_type_list_finds_ngoai_ngu(as_admin):
    found = changelist(as_admin, CourseType, "ngoai ngu")
    assert [t.code for t in found] == ["NGOAI_NGU"]
    # by alias too
    assert [t.code for t in changelist(as_admin, CourseType, "tieng anh")] == ["NGOAI_NGU"]


def test_programme_list_finds_ke_hoach(as_admin):
    found = changelist(as_admin, Programme, "ke hoach dao tao")
    assert [p.code for p in found] == ["QD137-2003"]


def test_target_list_finds_its_quote(as_admin):
    programme = Programme.objects.get(code="QD2007-2015")
    target = Target.objects.create(
        programme=programme,
        code="TA",
        label="Ngoại ngữ cho lãnh đạo",
        metric="coverage_pct",
        value_min=90,
    )
    found = changelist(as_admin, Target, "ngoai ngu cho lanh dao")
    assert found == [target]


def test_enrolment_list_finds_course_title_and_cadre(as_admin):
    course = make_course(title="Lớp Tiếng Anh giao tiếp")
    wanted = enrol(course, make_cadre("Trần Thị Lan"))
    enrol(make_course(title="Lễ tân"), make_cadre("Lê Văn Bình"))
    Enrolment = type(wanted)
    assert changelist(as_admin, Enrolment, "tieng anh") == [wanted]
    assert changelist(as_admin, Enrolment, "tran thi lan") == [wanted]


def test_tally_list_finds_course_title(as_admin):
    wanted = tally(make_course(title="Tập huấn Tiếng Anh"), 12)
    tally(make_course(title="Lễ tân"), 3)
    assert changelist(as_admin, type(wanted), "tieng anh") == [wanted]


def test_language_skill_list_finds_the_cadre(as_admin):
    wanted = LanguageSkill.objects.create(cadre=make_cadre("Hoàng Thị Huệ"), language="en", level=3)
    LanguageSkill.objects.create(cadre=make_cadre("Lý Văn Tùng"), language="en", level=3)
    assert changelist(as_admin, LanguageSkill, "hoang thi hue") == [wanted]


def test_baseline_list_finds_locality_and_agency(as_admin):
    wanted = WorkforceBaseline.objects.create(
        year=2020, rank=rank(), locality=locality("48"), headcount=9
    )
    WorkforceBaseline.objects.create(year=2020, rank=rank(), locality=locality("01"), headcount=9)
    assert changelist(as_admin, WorkforceBaseline, "da nang") == [wanted]
    by_agency = WorkforceBaseline.objects.create(
        year=2020, rank=rank(), agency=Agency.objects.get(code="HVNG"), headcount=4
    )
    assert changelist(as_admin, WorkforceBaseline, "hoc vien") == [by_agency]


def test_user_list_finds_names_without_diacritics(as_admin):
    wanted = User.objects.create_user("lan", first_name="Thị Lan", last_name="Trần")
    User.objects.create_user("binh", first_name="Văn Bình", last_name="Lê")
    assert changelist(as_admin, User, "tran") == [wanted]
    assert changelist(as_admin, User, "THI LAN") == [wanted]


def test_an_empty_or_odd_search_gives_no_error(as_admin):
    make_course(title="Tiếng Anh")
    Course = type(make_course())
    for query in ["", "   ", '"', "%", "_", "'tieng anh'", "100%", "\u0301"]:
        changelist(as_admin, Course, query)
    assert changelist(as_admin, Course, "%") == []


# Autocompletes: the form widgets that look a record up (select2), one per model.


def test_locality_autocomplete_finds_da_nang_ha_noi_hue(as_admin):
    from courses.models import Course

    assert "Thành phố Đà Nẵng" in " ".join(autocomplete(as_admin, Course, "locality", "da nang"))
    assert any("Hà Nội" in text for text in autocomplete(as_admin, Course, "locality", "ha noi"))
    assert any("Huế" in text for text in autocomplete(as_admin, Course, "locality", "hue"))


def test_organiser_autocomplete_finds_hoc_vien_and_bo_ngoai_giao(as_admin):
    from courses.models import Course

    assert any(
        "Học viện Ngoại giao" in t for t in autocomplete(as_admin, Course, "organiser", "hoc vien")
    )
    assert any(
        "Bộ Ngoại giao" in t for t in autocomplete(as_admin, Course, "organiser", "bo ngoai giao")
    )


def test_course_autocomplete_finds_tieng_anh(as_admin):
    from courses.models import Enrolment

    wanted = make_course(title="Lớp Tiếng Anh nâng cao")
    make_course(title="Lễ tân ngoại giao")
    assert autocomplete(as_admin, Enrolment, "course", "tieng anh") == [str(wanted)]


def test_cadre_autocomplete_finds_without_diacritics(as_admin):
    from courses.models import Enrolment

    wanted = make_cadre("Trần Thị Lan")
    make_cadre("Lê Văn Bình")
    assert autocomplete(as_admin, Enrolment, "cadre", "tran thi lan") == [str(wanted)]


def test_programme_autocomplete_finds_ke_hoach(as_admin):
    from courses.models import Course

    found = autocomplete(as_admin, Course, "programme", "ke hoach dao tao")
    assert found == [str(Programme.objects.get(code="QD137-2003"))]


def test_course_type_autocomplete_finds_ngoai_ngu(as_admin):
    found = autocomplete(as_admin, Target, "course_types", "ngoai ngu")
    assert found == [str(CourseType.objects.get(code="NGOAI_NGU"))]


def test_rank_autocomplete_finds_lanh_dao(as_admin):
    found = autocomplete(as_admin, Target, "ranks", "lanh dao bo")
    assert found == [str(Rank.objects.get(code="LANH_DAO_BO_TINH"))]


def test_agency_autocomplete_on_the_cadre_form(as_admin):
    from cadres.models import Cadre

    make_agency("Ủy ban nhân dân tỉnh Quảng Ngãi", locality_code="51")
    found = autocomplete(as_admin, Cadre, "agency", "uy ban nhan dan tinh quang ngai")
    assert found == ["Ủy ban nhân dân tỉnh Quảng Ngãi"]


def test_user_autocomplete_finds_without_diacritics(as_admin):
    from accounts.models import AccessScope

    User.objects.create_user("tranlan", first_name="Thị Lan", last_name="Trần")
    assert autocomplete(as_admin, AccessScope, "user", "tran") == ["tranlan"]


def test_a_scoped_clerk_autocomplete_still_stays_in_scope(admin_client_for, lao_cai_clerk):
    """Folding changes how text matches, not what a scope may see."""
    from courses.models import Course

    client = admin_client_for(lao_cai_clerk)
    assert autocomplete(client, Course, "locality", "ha noi") == []
    assert any("Lào Cai" in t for t in autocomplete(client, Course, "locality", "lao cai"))

"""Merging two records of one person: no double enrolment, the better result and the
certificate kept, languages and empty fields taken over, different ID numbers refused; the
duplicate review lists likely pairs and forgets those marked as different people."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Cadre, LanguageSkill, NotDuplicate
from cadres.services import duplicate_pairs
from courses.models import Enrolment
from courses.services import merge_cadres

from ..admin.conftest import enrol, make_cadre, make_course
from .conftest import current

BIRTH = datetime.date(1985, 1, 2)


@pytest.fixture
def twins(db):
    """One person entered twice: once by hand, once from a sheet with an ID number."""
    keep = make_cadre("Nguyễn Thị Hoa", birth_date=BIRTH, locality=current("15"))
    remove = make_cadre(
        "Nguyễn  Thị Hoa",
        birth_date=BIRTH,
        id_number="015185000111",
        email="hoa@laocai.gov.vn",
        position="Phó Giám đốc Sở",
        locality=current("15"),
    )
    return keep, remove


def test_merging_keeps_one_enrolment_per_course_with_the_best_result(twins):
    keep, remove = twins
    shared, other = make_course("K-SHARED"), make_course("K-OTHER")
    enrol(shared, keep, status=Enrolment.Status.ATTENDED)
    enrol(shared, remove, status=Enrolment.Status.COMPLETED, certificate_number="CC-17")
    enrol(other, remove, status=Enrolment.Status.REGISTERED)

    merge_cadres(keep=keep, remove=remove, user=None)

    assert not Cadre.objects.filter(pk=remove.pk).exists()
    rows = Enrolment.objects.filter(cadre=keep).order_by("course__code")
    assert [(e.course.code, e.status, e.certificate_number) for e in rows] == [
        ("K-OTHER", "registered", ""),
        ("K-SHARED", "completed", "CC-17"),
    ]
    assert Enrolment.objects.filter(course=shared).count() == 1


def test_a_withdrawn_duplicate_does_not_override_a_completion(twins):
    keep, remove = twins
    course = make_course()
    enrol(course, keep, status=Enrolment.Status.COMPLETED, certificate_number="A-1")
    enrol(course, remove, status=Enrolment.Status.WITHDRAWN, certificate_number="B-2")
    merge_cadres(keep=keep, remove=remove)
    enrolment = Enrolment.objects.get(course=course)
    assert (enrolment.cadre_id, enrolment.status, enrolment.certificate_number) == (
        keep.pk,
        "completed",
        "A-1",
    )


def test_merging_fills_empty_fields_and_keeps_the_higher_language_level(twins):
    keep, remove = twins
    LanguageSkill.objects.create(cadre=keep, language="en", level=3)
    LanguageSkill.objects.create(cadre=remove, language="en", level=5)
    LanguageSkill.objects.create(cadre=remove, language="zh", level=2)

    merge_cadres(keep=keep, remove=remove)

    keep.refresh_from_db()
    assert (keep.id_number, keep.email, keep.position) == (
        "015185000111",
        "hoa@laocai.gov.vn",
        "Phó Giám đốc Sở",
    )
    assert dict(keep.languages.values_list("language", "level")) == {"en": 5, "zh": 2}


def test_two_different_id_numbers_are_never_merged(twins):
    keep, remove = twins
    Cadre.objects.filter(pk=keep.pk).update(id_number="015185000999")
    course = make_course()
    enrol(course, remove)

    with pytest.raises(ValidationError):
        merge_cadres(keep=keep, remove=remove)

    assert Cadre.objects.filter(pk__in=[keep.pk, remove.pk]).count() == 2
    assert Enrolment.objects.get(course=course).cadre_id == remove.pk


def test_a_cadre_is_not_merged_with_itself(twins):
    with pytest.raises(ValidationError):
        merge_cadres(keep=twins[0], remove=twins[0])


def test_likely_pairs_come_from_name_and_birth_date_or_email(twins):
    keep, remove = twins
    by_email = make_cadre("Hoa Nguyen", email="hoa@laocai.gov.vn")
    make_cadre("Nguyễn Thị Hoa", birth_date=datetime.date(1990, 1, 1))  # another birth date
    make_cadre("Nguyễn Thị Hoa")  # no birth date: not enough

    pairs = {(p.first.pk, p.second.pk): len(p.reasons) for p in duplicate_pairs(Cadre.objects)}

    assert pairs == {(keep.pk, remove.pk): 1, (remove.pk, by_email.pk): 1}


def test_the_review_finds_pairs_in_a_constant_number_of_queries(twins):
    with CaptureQueriesContext(connection) as few:
        duplicate_pairs(Cadre.objects.all())
    for n in range(10):
        make_cadre(f"Trần Văn {n}", birth_date=BIRTH)
        make_cadre(f"Tran Van {n}", birth_date=BIRTH)
    with CaptureQueriesContext(connection) as many:
        assert len(duplicate_pairs(Cadre.objects.all())) == 11
    assert len(many) == len(few)


def test_the_review_page_merges_and_forgets_pairs_marked_different(client, admin_user, twins):
    keep, remove = twins
    other = make_cadre("Lê Văn Nam", email="nam@example.vn")
    same_email = make_cadre("Lê Văn Năm", email="nam@example.vn")
    client.force_login(admin_user)
    url = reverse("admin:cadres_cadre_duplicates")
    assert len(client.get(url).context["rows"]) == 2

    response = client.post(url, {"action": "not_same", "first": same_email.pk, "second": other.pk})
    assert response.status_code == 302
    assert NotDuplicate.objects.filter(cadre_a=other, cadre_b=same_email).exists()
    assert len(client.get(url).context["rows"]) == 1

    client.post(url, {"action": "merge", "first": keep.pk, "second": remove.pk})
    assert not Cadre.objects.filter(pk=remove.pk).exists()
    assert Cadre.objects.get(pk=keep.pk).id_number == "015185000111"
    assert client.get(url).context["rows"] == []


def test_the_review_page_refuses_conflicting_ids_with_a_message(client, admin_user, twins):
    keep, remove = twins
    Cadre.objects.filter(pk=keep.pk).update(id_number="015185000999")
    client.force_login(admin_user)
    url = reverse("admin:cadres_cadre_duplicates")
    response = client.post(url, {"action": "merge", "first": keep.pk, "second": remove.pk})
    assert response.status_code == 302
    assert Cadre.objects.filter(pk__in=[keep.pk, remove.pk]).count() == 2


def test_only_those_who_may_merge_reach_the_review(client, twins, lao_cai_clerk, manager):
    keep, remove = twins
    url = reverse("admin:cadres_cadre_duplicates")
    for user in (lao_cai_clerk, manager):
        client.force_login(user)
        assert client.get(url).status_code == 403
        post = {"action": "merge", "first": keep.pk, "second": remove.pk}
        assert client.post(url, post).status_code == 403
    assert Cadre.objects.filter(pk=remove.pk).exists()


def test_a_scoped_administrator_cannot_merge_out_of_scope(client, twins, ha_noi_clerk):
    """Merging needs the permission and both cadres inside the user's scope."""
    from django.contrib.auth.models import Permission, User

    keep, remove = twins  # in Lào Cai
    ha_noi_clerk.user_permissions.add(Permission.objects.get(codename="merge_cadre"))
    client.force_login(User.objects.get(pk=ha_noi_clerk.pk))
    url = reverse("admin:cadres_cadre_duplicates")
    assert client.get(url).context["rows"] == []
    response = client.post(url, {"action": "merge", "first": keep.pk, "second": remove.pk})
    assert response.status_code == 404
    assert Cadre.objects.filter(pk=remove.pk).exists()

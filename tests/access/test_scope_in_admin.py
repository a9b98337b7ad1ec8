"""Each persona sees exactly its scope in every admin list, change page, delete page, export
and autocomplete: counts and 404s, for a Lào Cai clerk (whose scope takes in former Yên Bái),
a Hà Nội clerk, a ministry clerk, a national manager and an outsider."""

import io

import openpyxl
import pytest
from django.urls import reverse

from accounts import scoping
from cadres.models import Agency, Cadre, LanguageSkill, WorkforceBaseline
from courses.models import Course, Enrolment, ParticipantTally

MODELS = {
    "courses_course": Course,
    "cadres_cadre": Cadre,
    "courses_enrolment": Enrolment,
    "courses_participanttally": ParticipantTally,
    "cadres_languageskill": LanguageSkill,
    "cadres_workforcebaseline": WorkforceBaseline,
    "cadres_agency": Agency,
}
PERSONAS = ["lao_cai_clerk", "ha_noi_clerk", "ministry_clerk", "manager"]


def expected(world, persona):
    """What each persona must see, model by model (the manager: everything)."""
    w = world
    if persona == "manager":
        return {name: list(model.objects.all()) for name, model in MODELS.items()}
    e, t, s, b = w.enrolments, w.tallies, w.skills, w.baselines
    return {
        "lao_cai_clerk": {
            "courses_course": [w.courses.lc],
            "cadres_cadre": [w.cadres.lc, w.cadres.yb],
            "courses_enrolment": [e.lc_on_lc, e.yb_on_lc, e.lc_on_bng],
            "courses_participanttally": [t.lc_on_hn, t.yb_on_hn],
            "cadres_languageskill": [s[0]],
            "cadres_workforcebaseline": [b[0], b[1]],
            "cadres_agency": [w.agencies.lc],
        },
        "ha_noi_clerk": {
            "courses_course": [w.courses.hn, w.courses.hn_tallied],
            "cadres_cadre": [w.cadres.hn],
            "courses_enrolment": [e.hn_on_lc, e.hn_on_hn],
            "courses_participanttally": [t.unplaced_on_hn],
            "cadres_languageskill": [s[1]],
            "cadres_workforcebaseline": [b[2]],
            "cadres_agency": [w.agencies.hn],
        },
        "ministry_clerk": {
            "courses_course": [w.courses.bng],
            "cadres_cadre": [w.cadres.mofa],
            "courses_enrolment": [e.mofa_on_bng],
            "courses_participanttally": [],
            "cadres_languageskill": [s[2]],
            "cadres_workforcebaseline": [b[3]],
            "cadres_agency": [w.agencies.bng],
        },
    }[persona]


@pytest.fixture
def as_persona(request, client, world):
    def log_in(persona):
        user = request.getfixturevalue(persona)
        client.force_login(user)
        return client, user, expected(world, persona)

    return log_in


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_changelist_counts_exactly_the_scope(as_persona, persona):
    client, _user, sees = as_persona(persona)
    for name, objects in sees.items():
        response = client.get(reverse(f"admin:{name}_changelist"))
        assert response.status_code == 200, name
        assert response.context["cl"].result_count == len(objects), name
        assert {o.pk for o in response.context["cl"].result_list} == {o.pk for o in objects}


@pytest.mark.parametrize("persona", PERSONAS)
def test_change_and_delete_pages_are_404_outside_the_scope(as_persona, persona):
    client, _user, sees = as_persona(persona)
    for name, model in MODELS.items():
        visible = {o.pk for o in sees[name]}
        for obj in model.objects.all():
            change = client.get(reverse(f"admin:{name}_change", args=[obj.pk]))
            history = client.get(reverse(f"admin:{name}_history", args=[obj.pk]))
            expected_status = 200 if obj.pk in visible else 404
            assert (change.status_code, history.status_code) == (expected_status,) * 2, (
                name,
                obj,
            )
            delete = client.get(reverse(f"admin:{name}_delete", args=[obj.pk]))
            # The manager may view but not delete: 403 in scope, 404 out of it. Nor may a
            # clerk delete a course on which people outside their scope are listed.
            others_on_it = name == "courses_course" and (
                {e.pk for e in obj.enrolments.all()} - {e.pk for e in sees["courses_enrolment"]}
                or {t.pk for t in obj.tallies.all()}
                - {t.pk for t in sees["courses_participanttally"]}
            )
            if obj.pk not in visible:
                assert delete.status_code == 404
            else:
                refused = persona == "manager" or others_on_it
                assert delete.status_code == (403 if refused else 200), (name, obj)


def test_a_clerk_cannot_delete_another_provinces_record(client, world, lao_cai_clerk):
    client.force_login(lao_cai_clerk)
    course = world.courses.hn
    url = reverse("admin:courses_course_delete", args=[course.pk])
    assert client.post(url, {"post": "yes"}).status_code == 404
    # Nor through the list's bulk action: the action's queryset is the scoped list.
    response = client.post(
        reverse("admin:courses_course_changelist"),
        {"action": "delete_selected", "_selected_action": [course.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert Course.objects.filter(pk=course.pk).exists()


def export_rows(client, name):
    """Every column of the list's first resource, as xlsx rows (header first)."""
    url = reverse(f"admin:{name}_export")
    form = client.get(url).context["form"]
    data = {"format": "0", "resource": "0"}
    data.update({f: "on" for f in form.fields if f not in ("format", "resource", "export_items")})
    response = client.post(url, data)
    assert response.status_code == 200, (name, response.content[:300])
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return list(book.active.iter_rows(values_only=True))


@pytest.mark.parametrize("persona", PERSONAS)
def test_exports_hold_exactly_the_scope(as_persona, persona):
    client, _user, sees = as_persona(persona)
    for name, objects in sees.items():
        rows = export_rows(client, name)
        assert len(rows) - 1 == len(objects), name


def test_the_export_action_on_chosen_rows_cannot_reach_out_of_scope(client, world, ha_noi_clerk):
    """The "export selected" action posts primary keys: a foreign one is refused."""
    client.force_login(ha_noi_clerk)
    url = reverse("admin:courses_course_export")
    form = client.get(url).context["form"]
    data = {"format": "0", "resource": "0"}
    data.update({f: "on" for f in form.fields if f not in ("format", "resource", "export_items")})

    refused = client.post(url, {**data, "export_items": [world.courses.hn.pk, world.courses.lc.pk]})
    assert "export_items" in refused.context["form"].errors
    assert not refused.has_header("Content-Disposition")

    exported = client.post(url, {**data, "export_items": [world.courses.hn.pk]})
    rows = list(openpyxl.load_workbook(io.BytesIO(exported.content)).active.values)
    assert [row[0] for row in rows[1:]] == ["HN-2024"]


AUTOCOMPLETES = [
    # (source app, source model, field): what the autocomplete offers
    ("courses", "enrolment", "cadre", "cadres_cadre"),
    ("courses", "enrolment", "course", "courses_course"),
    ("cadres", "cadre", "agency", "cadres_agency"),
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_autocomplete_offers_exactly_the_scope(as_persona, persona):
    client, _user, sees = as_persona(persona)
    for app_label, model_name, field, name in AUTOCOMPLETES:
        response = client.get(
            reverse("admin:autocomplete"),
            {"app_label": app_label, "model_name": model_name, "field_name": field, "term": ""},
        )
        assert response.status_code == 200, (field, response.content[:200])
        results = response.json()["results"]
        assert {int(r["id"]) for r in results} == {o.pk for o in sees[name]}, field


def test_locality_autocomplete_offers_the_scope_localities(client, world, lao_cai_clerk):
    client.force_login(lao_cai_clerk)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "cadres", "model_name": "cadre", "field_name": "locality", "term": ""},
    )
    names = sorted(r["text"] for r in response.json()["results"])
    # Current Lào Cai and the two former provinces merged into it.
    assert len(names) == 3
    assert len(scoping.scope_of(lao_cai_clerk).locality_ids) == 3
    # The locality list itself is reference data: everyone sees all of it.
    changelist = client.get(reverse("admin:cadres_locality_changelist"))
    assert changelist.context["cl"].result_count > 90


def test_the_inline_of_a_course_lists_only_the_scope(client, world, lao_cai_clerk):
    """The Lào Cai course has a Hà Nội participant: the Lào Cai clerk sees and saves only
    the Lào Cai rows, and saving leaves the other row as it was."""
    client.force_login(lao_cai_clerk)
    course = world.courses.lc
    url = reverse("admin:courses_course_change", args=[course.pk])
    formset = next(
        f for f in client.get(url).context["inline_admin_formsets"] if f.opts.model is Enrolment
    )
    assert formset.formset.initial_form_count() == 2
    assert course.enrolments.count() == 3


@pytest.mark.parametrize("persona", PERSONAS)
def test_covers_agrees_with_the_filters(request, world, persona):
    """scoping.covers() (one object, used to validate saves) says what the filters say."""
    user = request.getfixturevalue(persona)
    filters = {
        Course: scoping.courses,
        Cadre: scoping.cadres,
        Enrolment: scoping.enrolments,
        ParticipantTally: scoping.tallies,
        LanguageSkill: scoping.language_skills,
        WorkforceBaseline: scoping.baselines,
        Agency: scoping.agencies,
    }
    for model, scoped in filters.items():
        visible = set(scoped(model.objects.all(), user).values_list("pk", flat=True))
        for obj in model.objects.all():
            assert scoping.covers(user, obj) == (obj.pk in visible), (model, obj)


def test_the_outsider_is_sent_to_log_in_everywhere(client, world, outsider):
    client.force_login(outsider)
    for name, model in MODELS.items():
        obj = model.objects.first()
        for url in [
            reverse(f"admin:{name}_changelist"),
            reverse(f"admin:{name}_change", args=[obj.pk]),
            reverse(f"admin:{name}_export"),
        ]:
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("admin:login"))
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "courses", "model_name": "enrolment", "field_name": "cadre", "term": ""},
    )
    assert response.status_code == 302

"""The scope matrix: every URL the app serves (the URL resolver, every registered ModelAdmin's
``get_urls()`` on every mounted admin site, third-party admins and their extra URLs such as
django-simple-history's history and version pages, and every autocomplete), requested by each
persona with its parameters filled with records outside that persona's scope: a redirect to
the login page, 400, 403, 404 or 405, or a page that shows none of those records.

- Lào Cai clerk, Lào Cai manager, agency (ministry) clerk, role-less account, anonymous: the
  Hà Nội records are outside; none of their names, codes, emails, ID numbers may show.
- Hà Nội clerk: the Lào Cai records are outside.
- National manager: everything is in scope, but not personal data: no full ID number or
  birth date may show (managers do not hold cadres.view_personal_data).

The matrix proves itself: with a throwaway admin registered without scoping, it fails.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User

from trainingmgr.admin_kit import ScopedAdminMixin

from . import matrix
from .conftest import PASSWORD

PERSONAS = [
    "lao_cai_clerk",
    "ha_noi_clerk",
    "ministry_clerk",
    "lao_cai_manager",
    "manager",  # national
    "outsider",  # a login with no role
    "anonymous",
]


@pytest.fixture
def secrets(db):
    importer = User.objects.create_superuser("importer", "importer@example.vn", PASSWORD)
    return {
        "01": matrix.secret_records("HN", "01", importer),
        "15": matrix.secret_records("LC", "15", importer),
    }


def as_persona(request, client, persona, secrets):
    """The logged-in client, the secret set outside the persona's scope, and its markers."""
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    outside = secrets["15"] if persona == "ha_noi_clerk" else secrets["01"]
    markers = outside.personal_markers if persona == "manager" else outside.markers
    return client, outside, markers


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_url_shows_a_record_outside_the_personas_scope(request, client, secrets, persona):
    client, outside, markers = as_persona(request, client, persona, secrets)
    urls = matrix.every_url(outside)
    labels = {label for label, _path in urls}
    # The walk covers what it claims: history and version pages, autocomplete, exports.
    assert "admin:cadres.cadre:cadres_cadre_simple_history" in labels
    assert "admin:courses.course:courses_course_history" in labels
    assert any(label.startswith("admin:autocomplete:") for label in labels)
    assert "admin:courses.enrolment:courses_enrolment_export" in labels
    assert any(path.startswith("/reports/") for _label, path in urls)
    assert matrix.leaks(client, urls, markers) == []


@pytest.mark.parametrize("persona", ["lao_cai_clerk", "manager"])
def test_the_matrix_fails_for_an_admin_registered_without_scoping(
    request, client, settings, secrets, persona
):
    """Proof that the matrix can fail: a plain ModelAdmin of cadres on a throwaway site shows
    the Hà Nội cadre (and its ID number) to the Lào Cai clerk and the manager. Under the
    project's base admin, a model with no scope rule shows nothing (deny by default)."""
    settings.ROOT_URLCONF = "tests.access.leaky_urls"
    client, outside, markers = as_persona(request, client, persona, secrets)
    cadre = outside.objects[matrix.Cadre]
    urls = matrix.every_url(outside)

    found = matrix.leaks(client, urls, markers)

    leaked_paths = {path for _label, path, _marker in found}
    assert f"/leaky-admin/cadres/cadre/{cadre.pk}/change/" in leaked_paths
    if persona == "lao_cai_clerk":  # the list shows the Hà Nội cadre's name
        assert "/leaky-admin/cadres/cadre/" in leaked_paths
    # The same model under the kit (/kit-admin/) and every page of the app: nothing.
    assert {path for path in leaked_paths if not path.startswith("/leaky-admin/")} == set()
    assert any(path.startswith("/kit-admin/cadres/notduplicate/") for _label, path in urls)


def test_every_registered_admin_and_inline_is_built_on_the_kit():
    """A ModelAdmin written without the project's base would read its model unscoped: it must
    not be registered (the matrix above would also catch it, as the throwaway site shows)."""
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, ScopedAdminMixin), model._meta.label
        for inline in model_admin.inlines:
            assert issubclass(inline, ScopedAdminMixin), (model._meta.label, inline)

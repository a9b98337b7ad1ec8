"""ID numbers and birth dates: shown, edited and exported only with cadres.view_personal_data;
masked for everyone else; an export that holds them says so in its file name."""

import datetime
import io

import openpyxl
from django.contrib.admin.utils import lookup_field
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from cadres.admin import masked_id_number
from cadres.models import Cadre

from .test_scope_in_admin import export_rows
from .test_scope_on_save import cadre_form

ID = "010090001234"


def export(client, name, file_format="0"):
    url = reverse(f"admin:{name}_export")
    form = client.get(url).context["form"]
    data = {"format": file_format, "resource": "0"}
    data.update({f: "on" for f in form.fields if f not in ("format", "resource", "export_items")})
    return client.post(url, data)


def changelist_cells(client, cadre):
    """The list's row of a cadre, as the texts of its cells."""
    response = client.get(reverse("admin:cadres_cadre_changelist"))
    cl = response.context["cl"]
    row = next(r for r in cl.result_list if r.pk == cadre.pk)
    return [
        str(lookup_field(name, row, cl.model_admin)[2])
        for name in cl.list_display
        if name != "action_checkbox"
    ]


def test_the_mask_keeps_the_last_four_digits():
    assert masked_id_number(ID) == "••••••••1234"
    assert masked_id_number("") == "-"


def test_a_clerk_sees_ids_masked_and_only_the_birth_year(client, world, lao_cai_clerk):
    client.force_login(lao_cai_clerk)
    cells = changelist_cells(client, world.cadres.lc)
    assert "••••••••1234" in cells
    assert "1990" in cells
    assert ID not in cells
    assert "05/04/1990" not in cells

    response = client.get(reverse("admin:cadres_cadre_change", args=[world.cadres.lc.pk]))
    form = response.context["adminform"].form
    assert "id_number" not in form.fields
    assert "birth_date" not in form.fields
    assert ID not in response.content.decode()
    assert "••••••••1234" in response.content.decode()


def test_a_clerk_cannot_change_an_id_number(client, world, lao_cai_clerk):
    client.force_login(lao_cai_clerk)
    cadre = world.cadres.lc
    response = client.post(
        reverse("admin:cadres_cadre_change", args=[cadre.pk]),
        cadre_form(
            full_name=cadre.full_name,
            rank=cadre.rank_id,
            locality=cadre.locality_id,
            agency=cadre.agency_id,
            birth_year="1990",
            id_number="999999999999",
            birth_date="01/01/1950",
            **{"languages-TOTAL_FORMS": "1", "languages-INITIAL_FORMS": "1"},
            **{
                "languages-0-id": world.skills[0].pk,
                "languages-0-cadre": cadre.pk,
                "languages-0-language": "en",
                "languages-0-level": "4",
                "enrolments-TOTAL_FORMS": "2",
                "enrolments-INITIAL_FORMS": "2",
                "enrolments-0-id": world.enrolments.lc_on_lc.pk,
                "enrolments-0-cadre": cadre.pk,
                "enrolments-1-id": world.enrolments.lc_on_bng.pk,
                "enrolments-1-cadre": cadre.pk,
            },
        ),
    )
    assert response.status_code == 302
    cadre.refresh_from_db()
    assert (cadre.id_number, cadre.birth_date) == (ID, datetime.date(1990, 4, 5))


def test_a_clerk_cannot_find_a_person_by_id_number(client, world, lao_cai_clerk, admin_user):
    url = reverse("admin:cadres_cadre_changelist")
    client.force_login(lao_cai_clerk)
    assert client.get(url, {"q": ID}).context["cl"].result_count == 0
    client.force_login(admin_user)
    assert client.get(url, {"q": ID}).context["cl"].result_count == 1


def test_with_the_permission_the_clerk_sees_and_edits_them(client, world, lao_cai_clerk):
    lao_cai_clerk.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    clerk = User.objects.get(pk=lao_cai_clerk.pk)
    client.force_login(clerk)
    cells = changelist_cells(client, world.cadres.lc)
    assert ID in cells
    response = client.get(reverse("admin:cadres_cadre_change", args=[world.cadres.lc.pk]))
    assert {"id_number", "birth_date"} <= set(response.context["adminform"].form.fields)


def test_exports_without_the_permission_leave_personal_columns_out(client, world, ha_noi_clerk):
    client.force_login(ha_noi_clerk)
    for name in ["cadres_cadre", "courses_enrolment"]:
        response = export(client, name)
        assert response.status_code == 200
        assert "personal-data" not in response["Content-Disposition"]
        header = next(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
        assert "Họ và tên" in header
        assert "Số định danh" not in header
        assert "Ngày sinh" not in header


def test_exports_with_personal_data_say_so_in_their_name(client, world, admin_user):
    client.force_login(admin_user)
    for name in ["cadres_cadre", "courses_enrolment"]:
        response = export(client, name)
        assert "-personal-data." in response["Content-Disposition"]
        rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
        column = rows[0].index("Số định danh")
        assert ID in [row[column] for row in rows[1:]]
    # A list without personal columns keeps a plain name.
    assert "personal-data" not in export(client, "courses_course")["Content-Disposition"]


def test_roles_and_the_personal_data_permission(db):
    def codenames(group):
        return set(Group.objects.get(name=group).permissions.values_list("codename", flat=True))

    assert "view_personal_data" in codenames("Administrators")
    assert "merge_cadre" in codenames("Administrators")
    assert "view_personal_data" not in codenames("Managers")
    assert "view_personal_data" not in codenames("Clerks")
    assert "merge_cadre" not in codenames("Clerks") | codenames("Managers")


def test_a_formula_in_a_cadre_name_is_exported_escaped(client, world, admin_user):
    Cadre.objects.filter(pk=world.cadres.hn.pk).update(full_name='=HYPERLINK("http://x","y")')
    client.force_login(admin_user)
    rows = export_rows(client, "cadres_cadre")
    names = [row[0] for row in rows[1:]]
    # The value is kept whole (issue 9: nothing stripped), as a text cell, never a formula.
    assert '=HYPERLINK("http://x","y")' in names
    response = export(client, "cadres_cadre")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    csv = export(client, "cadres_cadre", file_format="1").content.decode("utf-8-sig")
    assert '\n"\'=HYPERLINK(""http://x"",""y"")",' in csv  # OWASP: a leading apostrophe
    assert '"=HYPERLINK' not in csv

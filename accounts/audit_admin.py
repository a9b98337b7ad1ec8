"""The log of personal-data access in the admin: administrators only, read-only, exportable
as csv or xlsx (the selected rows; "select all" takes the whole filtered list)."""

import csv
import io

from django.contrib import admin
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import PersonalDataAccess

VIEW_PERMISSION = "accounts.view_personaldataaccess"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(queryset):
    header = [
        gettext("when"),
        gettext("user name"),
        gettext("how"),
        gettext("records of"),
        gettext("number of records"),
        gettext("record ids"),
        gettext("address in the app"),
        gettext("from address"),
    ]
    rows = [header]
    for entry in queryset.order_by("at", "id").iterator():
        rows.append(
            [
                timezone.localtime(entry.at).strftime("%d/%m/%Y %H:%M:%S"),
                entry.username,
                entry.get_channel_display(),
                entry.model,
                entry.count,
                " ".join(str(pk) for pk in entry.object_ids or []),
                entry.path,
                entry.ip_address or "",
            ]
        )
    return rows


def _name(extension):
    return f"personal-data-access-{timezone.localdate():%Y%m%d}.{extension}"


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    list_display = ["at", "user_link", "channel", "model", "count", "ip_address", "path"]
    list_filter = ["channel", "model", "at"]
    search_fields = ["username", "path", "ip_address"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in PersonalDataAccess._meta.fields]
    actions = ["export_csv", "export_xlsx"]
    list_per_page = 100

    @admin.display(description=_("user name"), ordering="username")
    def user_link(self, entry):
        """The name as written with the entry, linked to the account by its id (the log keeps
        the id as a plain number: on SQLite the users live in the other database file). An
        account deleted since keeps its name here; its link says it no longer exists."""
        if entry.user_id is None:
            return entry.username
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:auth_user_change", args=[entry.user_id]),
            entry.username,
        )

    def has_module_permission(self, request):
        return request.user.has_perm(VIEW_PERMISSION)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(VIEW_PERMISSION)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # kept for the configured period; purge_personal_data_log removes them

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Export the selected entries as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        out = io.StringIO()
        csv.writer(out).writerows(_rows(queryset))
        response = HttpResponse(
            out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{_name("csv")}"'
        return response

    @admin.action(description=_("Export the selected entries as XLSX"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(gettext("Personal data access"))
        for row in _rows(queryset):
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{_name("xlsx")}"'
        return response

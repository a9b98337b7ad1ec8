"""Import batches in the admin: the list, the upload -> preview -> confirm flow, the file of
errors, the templates, and reverting a batch.

The flow uses our own importer (services.run_import), not django-import-export's views, so
that the preview is a dry run over the whole file at the speed of the real import; the
permission is therefore checked here: ``imports.import_spreadsheet``.
"""

import os
import secrets
import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trainingmgr.admin_kit import ScopedAdminMixin

from .kinds import KINDS
from .models import ImportBatch, ImportChange
from .services import RevertRefused, revert_batch, run_import
from .sheets import XLSX, annotated_file, template
from .values import text

PERMISSION = "imports.import_spreadsheet"
SESSION_KEY = "imports_uploads"
UPLOAD_DIR = Path(tempfile.gettempdir()) / "trainingmgr-imports"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ImportBatch.Kind.choices)
    file = forms.FileField(
        label=_("File"), help_text=_(".xlsx or .csv (UTF-8), with a header row.")
    )
    course = forms.CharField(
        label=_("Course code"),
        required=False,
        help_text=_("For a participants or tallies sheet without a course column."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {"size": round(upload.size / 1048576, 1), "limit": limit // 1048576}
            )
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an .xlsx or a .csv file."))
        return upload


class ImportChangeInline(ScopedAdminMixin, admin.TabularInline):
    reference_data = True  # the changes of a batch the user may see (ImportBatchAdmin)
    model = ImportChange
    fields = ["action", "model", "object_id", "old_values"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False


@admin.register(ImportBatch)
class ImportBatchAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "user",
        "kind",
        "file_name",
        "short_checksum",
        "rows",
        "created",
        "updated",
        "unchanged",
        "status",
    ]
    list_filter = ["kind", "status", "created_at"]
    search_fields = ["file_name", "checksum", "user__username"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in ImportBatch._meta.fields]
    inlines = [ImportChangeInline]
    actions = ["revert_selected"]
    change_list_template = "admin/imports/importbatch/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("SHA-256"))
    def short_checksum(self, obj):
        return format_html('<span title="{}">{}…</span>', obj.checksum, obj.checksum[:12])

    @admin.action(description=_("Revert the selected imports"), permissions=["revert"])
    def revert_selected(self, request, queryset):
        for batch in queryset.order_by("-created_at", "-id"):
            try:
                revert_batch(batch, user=request.user)
            except RevertRefused as exc:
                self.message_user(request, f"{batch}: {exc}", messages.ERROR)
            else:
                self.message_user(
                    request, gettext("%(batch)s: reverted.") % {"batch": batch}, messages.SUCCESS
                )

    def has_revert_permission(self, request):
        return request.user.has_perm(PERMISSION)

    # Upload flow ----------------------------------------------------------------------------
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("upload/", wrap(self.upload_view), name="imports_importbatch_upload"),
            path(
                "upload/<str:token>/confirm/",
                wrap(self.confirm_view),
                name="imports_importbatch_confirm",
            ),
            path(
                "upload/<str:token>/errors/",
                wrap(self.errors_view),
                name="imports_importbatch_errors",
            ),
            path(
                "template/<str:kind>/",
                wrap(self.template_view),
                name="imports_importbatch_template",
            ),
            *super().get_urls(),
        ]

    def _check(self, request):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied

    def _context(self, request, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import a spreadsheet"),
            "kinds": ImportBatch.Kind.choices,
            **extra,
        }

    def upload_view(self, request):
        self._check(request)
        if request.method == "POST":
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                return self._preview(request, form)
        else:
            form = UploadForm(initial={"kind": request.GET.get("kind", "participants")})
        return TemplateResponse(
            request, "admin/imports/importbatch/upload.html", self._context(request, form=form)
        )

    def _preview(self, request, form):
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        course = form.cleaned_data["course"].strip()
        token = secrets.token_hex(16)
        suffix = ".csv" if upload.name.lower().endswith(".csv") else ".xlsx"
        UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
        stored = UPLOAD_DIR / f"{token}{suffix}"
        with open(stored, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        uploads = request.session.get(SESSION_KEY, {})
        uploads[token] = {
            "path": str(stored),
            "name": os.path.basename(upload.name),
            "kind": kind,
            "course": course,
        }
        request.session[SESSION_KEY] = uploads
        result = run_import(
            kind,
            _Named(stored, upload.name),
            user=request.user,
            course=course or None,
            dry_run=True,
        )
        return TemplateResponse(
            request,
            "admin/imports/importbatch/preview.html",
            self._context(
                request,
                result=result,
                token=token,
                upload=uploads[token],
                sample=_sample_table(result),
                form=UploadForm(initial={"kind": kind, "course": course}),
            ),
        )

    def _upload(self, request, token):
        found = request.session.get(SESSION_KEY, {}).get(token)
        if not found or not os.path.exists(found["path"]):
            raise Http404(gettext("This upload has expired: upload the file again."))
        return found

    def confirm_view(self, request, token):
        self._check(request)
        if request.method != "POST":
            return redirect("admin:imports_importbatch_upload")
        upload = self._upload(request, token)
        result = run_import(
            upload["kind"],
            _Named(upload["path"], upload["name"]),
            user=request.user,
            course=upload["course"] or None,
        )
        if not result.ok:
            return TemplateResponse(
                request,
                "admin/imports/importbatch/preview.html",
                self._context(
                    request,
                    result=result,
                    token=token,
                    upload=upload,
                    sample=_sample_table(result),
                    form=UploadForm(initial={"kind": upload["kind"]}),
                ),
            )
        _forget(request, token)
        self.message_user(request, result.summary(), messages.SUCCESS)
        if result.batch is None:  # nothing to change: no batch was recorded
            return redirect(reverse("admin:imports_importbatch_changelist"))
        return redirect(reverse("admin:imports_importbatch_change", args=[result.batch.pk]))

    def errors_view(self, request, token):
        self._check(request)
        upload = self._upload(request, token)
        result = run_import(
            upload["kind"],
            _Named(upload["path"], upload["name"]),
            user=request.user,
            course=upload["course"] or None,
            dry_run=True,
        )
        content, content_type, name = annotated_file(upload["path"], upload["name"], result)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{_ascii(name)}"'
        return response

    def template_view(self, request, kind):
        if kind not in KINDS:
            raise Http404
        response = HttpResponse(template(kind), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="mau-{kind}.xlsx"'
        return response

    def changelist_view(self, request, extra_context=None):
        extra = {
            "can_import": request.user.has_perm(PERMISSION),
            "kinds": ImportBatch.Kind.choices,
        }
        return super().changelist_view(request, {**(extra_context or {}), **extra})


class _Named(os.PathLike):
    """A stored upload read under the name it was uploaded with (shown in messages)."""

    def __init__(self, stored, name):
        self.stored = str(stored)
        self.name = os.path.basename(name)

    def __fspath__(self):
        return self.stored


def _forget(request, token):
    uploads = request.session.get(SESSION_KEY, {})
    found = uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads
    if found:
        Path(found["path"]).unlink(missing_ok=True)


def _ascii(name):
    return name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")


def _sample_table(result):
    """The first rows as the sheet shows them: header labels and cells (not 50,000 rows)."""
    fields = [field for field, _label in result.columns]
    header = [label for _field, label in result.columns]
    rows = [(number, [text(row.get(f, "")) for f in fields]) for number, row in result.sample]
    return {"header": header, "rows": rows}

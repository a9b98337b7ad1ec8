"""Import batches in the admin: the list, the upload -> preview -> confirm flow, the file of
errors, the templates, and reverting a batch.

The flow uses our own importer (services.run_import), not django-import-export's views, so
that the preview is a dry run over the whole file at the speed of the real import; the
permission is therefore checked here: ``imports.import_spreadsheet``.
"""

import os
from types import SimpleNamespace

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from accounts.audit import record_personal_data_access
from cadres.models import Cadre
from trainingmgr.admin_kit import (
    PERSONAL_FIELDS,
    ScopedAdminMixin,
    masked_id_number,
    may_see_personal_data,
)

from . import pending, preview, tasks
from .contract import SHEETS
from .kinds import KINDS
from .models import ImportBatch, Job
from .reading import FileRejected, limit
from .services import RevertRefused, check_may_revert, plan_revert, revert_state, run_import
from .sheets import XLSX, annotated_file, template, template_name
from .values import text

PERMISSION = "imports.import_spreadsheet"
SESSION_KEY = "imports_uploads"
DONE_OR_FAILED = (Job.Status.DONE, Job.Status.FAILED)


def kind_choices():
    """Every registered kind (imports.kinds.register), labelled as ImportBatch.Kind does or
    by the importer's own ``label``."""

    labels = dict(ImportBatch.Kind.choices)
    return [(kind, labels.get(kind) or getattr(KINDS[kind], "label", kind)) for kind in KINDS]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=kind_choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_(".xlsx, or .csv / .txt (UTF-8, UTF-16 or Windows-1258), with a header row."),
    )
    course = forms.CharField(
        label=_("Course code"),
        required=False,
        help_text=_("For a participants or tallies sheet without a course column."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        most = limit("MAX_UPLOAD_BYTES")
        if upload.size > most:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {"size": round(upload.size / 1048576, 1), "limit": most // 1048576}
            )
        if not upload.name.lower().endswith((".xlsx", ".csv", ".txt")):
            raise forms.ValidationError(_("Upload an .xlsx or a .csv file."))
        return upload


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
    actions = ["revert_selected"]
    change_list_template = "admin/imports/importbatch/change_list.html"
    # What the batch created and changed, in words (imports.preview), under its fields.
    change_form_template = "admin/imports/importbatch/change_form.html"

    def get_fields(self, request, obj=None):
        # The details are shown in words below; the raw JSON only to administrators, folded.
        return [f for f in self.readonly_fields if f not in ("id", "details")]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = self.get_object(request, admin.utils.unquote(object_id))
        extra = dict(extra_context or {})
        if batch is not None:
            extra.update(
                entries=preview.batch_entries(batch, request.GET.get("page") or 1),
                details=preview.batch_details(batch),
                raw_details=batch.details if request.user.is_superuser else None,
            )
        return super().change_view(request, object_id, form_url, extra)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A batch is the record of who imported which file, and what a revert reads: it is
        # reverted (its rows undone, the batch kept and marked), never deleted, not even by a
        # superuser. Deleting it would unlink every row it created from it (SET_NULL), so
        # they could no longer be shown or reverted as a whole.
        return False

    @admin.display(description=_("SHA-256"))
    def short_checksum(self, obj):
        return format_html('<span title="{}">{}…</span>', obj.checksum, obj.checksum[:12])

    @admin.action(description=_("Revert the selected imports"), permissions=["revert"])
    def revert_selected(self, request, queryset):
        """First a confirmation page (what will be removed, what kept and why, with counts);
        the revert runs only when that page is confirmed (``post``), newest batch first."""
        batches = list(queryset.order_by("-created_at", "-id"))
        if request.POST.get("post") != "yes":
            return self._revert_confirmation(request, batches)
        # Each revert is a background job (one after the other, newest first, in the order
        # queued); a job the backend ran at once reports here.
        last = None
        for batch in batches:
            try:
                check_may_revert(batch, request.user)  # the plan itself is the job's work
            except RevertRefused as exc:
                self.message_user(request, f"{batch}: {exc}", messages.ERROR)
                continue
            job = Job.objects.create(
                kind=Job.Kind.REVERT,
                user=request.user,
                title=str(batch),
                batch=batch,
                total=batch.rows,  # until the job's plan says how many rows it removes
                params={"batch": batch.pk, "language": get_language()},
            )
            last = job = tasks.start(job)
            if job.status == Job.Status.DONE:
                self.message_user(request, job.message, messages.SUCCESS)
            elif job.status == Job.Status.FAILED:
                self.message_user(request, job.message, messages.ERROR)
            else:
                url = reverse("admin:imports_importbatch_job", args=[job.pk])
                self.message_user(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        gettext("%(batch)s: the revert is running.") % {"batch": batch},
                        url,
                        gettext("See its progress"),
                    ),
                    messages.INFO,
                )
        if last is not None and len(batches) == 1 and last.status not in DONE_OR_FAILED:
            return redirect(reverse("admin:imports_importbatch_job", args=[last.pk]))
        return None

    def _revert_confirmation(self, request, batches):
        """What each revert would do. A big batch (IMPORT_TASK_MIN_ROWS rows or more) is
        planned by a background job, not in the request: the page shows its progress until
        the plan is ready, then the plan, as long as nothing changed since (revert_state)."""
        plans = []
        for batch in batches:
            try:
                if batch.rows >= settings.IMPORT_TASK_MIN_ROWS:
                    plans.append({"batch": batch, **self._plan_by_job(request, batch)})
                else:
                    plan = plan_revert(batch, user=request.user)
                    plans.append({"batch": batch, "plan": SimpleNamespace(**plan.as_page())})
            except RevertRefused as exc:
                plans.append({"batch": batch, "refused": str(exc)})
        return TemplateResponse(
            request,
            "admin/imports/importbatch/revert_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": gettext("Revert imports: are you sure?"),
                "plans": plans,
                "revertable": any("plan" in entry for entry in plans)
                and not any("planning" in entry for entry in plans),
                "planning": any("planning" in entry for entry in plans),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def _plan_by_job(self, request, batch):
        """{"plan": ...} from the user's plan job of ``batch`` when it is done and still
        true, else {"planning": job, "done", "total"} with a job started if none runs."""
        check_may_revert(batch, request.user)
        state = revert_state(batch)
        job = (
            Job.objects.filter(
                kind=Job.Kind.REVERT, batch=batch, user=request.user, params__plan_only=True
            )
            .order_by("-pk")
            .first()
        )
        if job is not None:
            job = tasks.mark_stale(job)
        stale = job is not None and job.status == Job.Status.DONE and job.result["state"] != state
        if job is None or job.status == Job.Status.FAILED or stale:
            job = tasks.start(
                Job.objects.create(
                    kind=Job.Kind.REVERT,
                    user=request.user,
                    title=gettext("Plan of the revert: %(batch)s") % {"batch": batch},
                    batch=batch,
                    total=batch.rows,
                    params={"batch": batch.pk, "plan_only": True, "language": get_language()},
                )
            )
        if job.status == Job.Status.DONE and job.result.get("state") == state:
            return {"plan": SimpleNamespace(**job.result["plan"]), "job": job}
        if job.status == Job.Status.FAILED:
            raise RevertRefused(job.message)
        done, total, _age = tasks.read_progress(job)
        return {"planning": job, "done": done, "total": total}

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
            path("job/<int:job_id>/", wrap(self.job_view), name="imports_importbatch_job"),
            path(
                "job/<int:job_id>/file/",
                wrap(self.job_file_view),
                name="imports_importbatch_job_file",
            ),
            path(
                "job/<int:job_id>/again/",
                wrap(self.job_retry_view),
                name="imports_importbatch_job_retry",
            ),
            path(
                "upload/<str:token>/cancel/",
                wrap(self.cancel_view),
                name="imports_importbatch_cancel",
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
        upload = extra.get("upload") or {}
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import a spreadsheet"),
            "kinds": ImportBatch.Kind.choices,
            "kind_label": dict(kind_choices()).get(upload.get("kind"), upload.get("kind")),
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
        token = pending.store(upload)  # private folder, purged of old uploads (pending.py)
        stored = pending.path(token)
        found = {
            "path": str(stored),
            "name": os.path.basename(upload.name),
            "kind": kind,
            "course": course,
        }
        return self._show_preview(request, token, found)

    def _show_preview(self, request, token, upload):
        """The dry run of a stored upload and its page: counts, errors, the first rows in
        words and the new things by name (imports.preview), the mapping choices kept in
        the session for the confirm step."""
        result = run_import(
            upload["kind"],
            _Named(upload["path"], upload["name"]),
            user=request.user,
            course=upload["course"] or None,
            dry_run=True,
        )
        described = preview.describe(result, request.user)
        if described and described["people_shown"] and may_see_personal_data(request.user):
            # Their birth dates and ID numbers are on the page, unmasked: who saw them.
            record_personal_data_access(request, Cadre, described["people_shown"], "page")
        uploads = request.session.get(SESSION_KEY, {})
        uploads[token] = {
            **upload,
            "rows": result.rows,  # the total of the job's progress bar
            "offered": preview.offered_mappings(described),
        }
        request.session[SESSION_KEY] = uploads
        return TemplateResponse(
            request,
            "admin/imports/importbatch/preview.html",
            self._context(
                request,
                result=result,
                token=token,
                upload=uploads[token],
                sample=_sample_table(result, request.user),
                described=described,
                form=UploadForm(initial={"kind": upload["kind"], "course": upload["course"]}),
            ),
        )

    def _upload(self, request, token):
        found = request.session.get(SESSION_KEY, {}).get(token)
        stored = pending.path(token)
        if not found or stored is None:
            raise Http404(gettext("This upload has expired: upload the file again."))
        return {**found, "path": str(stored)}

    def cancel_view(self, request, token):
        """Cancel a previewed import: its stored file is deleted at once."""
        self._check(request)
        found = request.session.get(SESSION_KEY, {}).get(token, {})
        if request.method == "POST":
            _forget(request, token)
            self.message_user(request, gettext("The import was cancelled and the file deleted."))
        url = reverse("admin:imports_importbatch_upload")
        return redirect(f"{url}?kind={found['kind']}" if found.get("kind") else url)

    def confirm_view(self, request, token):
        """Confirm: the import runs as a background job (its page shows the progress); when
        the backend ran it at once (tests, DJANGO_TASKS_BACKEND=immediate) the result shows
        as before: the batch's page, or the errors."""
        self._check(request)
        if request.method != "POST":
            return redirect("admin:imports_importbatch_upload")
        upload = self._upload(request, token)
        posted = {
            key.removeprefix("map:"): value
            for key, value in request.POST.items()
            if key.startswith("map:")
        }
        agency_map, refused = preview.allowed_mapping(
            request.user, upload.get("offered") or {}, posted
        )
        if refused:
            # A choice the preview did not offer, or outside the user's scope: nothing runs.
            self.message_user(
                request,
                gettext(
                    "Not imported: the agency chosen for %(names)s is not one you may choose. "
                    "Choose again."
                )
                % {"names": ", ".join(f"“{name}”" for name in refused)},
                messages.ERROR,
            )
            return self._show_preview(request, token, upload)
        job = Job.objects.create(
            kind=Job.Kind.IMPORT,
            user=request.user,
            title=upload["name"],
            total=upload.get("rows") or 0,
            params={**upload, "agency_map": agency_map, "language": get_language()},
        )
        _forget(request, token, keep_file=True)  # the job reads it, and deletes it when done
        job = tasks.start(job)
        return self._after_job(request, job)

    def _after_job(self, request, job):
        if job.status == Job.Status.DONE:
            self.message_user(request, job.message, messages.SUCCESS)
            if job.kind == Job.Kind.ERRORS:
                return redirect(reverse("admin:imports_importbatch_job_file", args=[job.pk]))
            if job.batch_id and job.kind == Job.Kind.IMPORT:
                return redirect(reverse("admin:imports_importbatch_change", args=[job.batch_id]))
            return redirect(reverse("admin:imports_importbatch_changelist"))
        return redirect(reverse("admin:imports_importbatch_job", args=[job.pk]))

    def _job(self, request, job_id):
        job = Job.objects.filter(pk=job_id).select_related("batch", "user").first()
        if job is None or not (request.user.is_superuser or job.user_id == request.user.pk):
            raise Http404(gettext("No such job."))
        return tasks.mark_stale(job)

    def job_view(self, request, job_id):
        """The job's page: rows done of total, a bar, time left, then the result. It reloads
        itself every two seconds while the job runs (no script needed)."""
        job = self._job(request, job_id)
        done, total, _age = tasks.read_progress(job)
        if job.status == Job.Status.DONE:
            done = max(done, total)
        percent = min(100, round(100 * done / total)) if total else 0
        left = None
        if job.status == Job.Status.RUNNING and job.started_at and done and total > done:
            elapsed = (timezone.now() - job.started_at).total_seconds()
            left = max(1, round(elapsed / done * (total - done)))
        return TemplateResponse(
            request,
            "admin/imports/importbatch/job.html",
            self._context(
                request,
                title=str(job),
                job=job,
                done=done,
                total=total,
                percent=percent,
                seconds_left=left,
                running=job.status in (Job.Status.QUEUED, Job.Status.RUNNING),
            ),
        )

    def job_file_view(self, request, job_id):
        job = self._job(request, job_id)
        found = job.result.get("file") if job.status == Job.Status.DONE else None
        if not found or not os.path.exists(found):
            raise Http404(gettext("This file is no longer available: ask for it again."))
        with open(found, "rb") as stream:
            response = HttpResponse(stream.read(), content_type=job.result["content_type"])
        response["Content-Disposition"] = content_disposition_header(True, job.result["name"])
        return response

    def job_retry_view(self, request, job_id):
        job = self._job(request, job_id)
        if request.method != "POST" or job.status != Job.Status.FAILED:
            return redirect(reverse("admin:imports_importbatch_job", args=[job.pk]))
        if job.kind in (Job.Kind.IMPORT, Job.Kind.ERRORS) and not os.path.exists(
            job.params.get("path", "")
        ):
            self.message_user(
                request, gettext("This upload has expired: upload the file again."), messages.ERROR
            )
            return redirect(reverse("admin:imports_importbatch_job", args=[job.pk]))
        job = tasks.run_again(job)
        return self._after_job(request, job)

    def errors_view(self, request, token):
        self._check(request)
        upload = self._upload(request, token)
        if (upload.get("rows") or 0) > settings.IMPORT_TASK_MIN_ROWS:
            job = Job.objects.create(
                kind=Job.Kind.ERRORS,
                user=request.user,
                title=upload["name"],
                total=upload["rows"],
                params={**upload, "language": get_language()},
            )
            return self._after_job(request, tasks.start(job))
        result = run_import(
            upload["kind"],
            _Named(upload["path"], upload["name"]),
            user=request.user,
            course=upload["course"] or None,
            dry_run=True,
        )
        try:
            content, content_type, name = annotated_file(upload["path"], upload["name"], result)
        except FileRejected:
            # The file cannot be read back at all: the page says why, as the preview did.
            return TemplateResponse(
                request,
                "admin/imports/importbatch/preview.html",
                self._context(
                    request,
                    result=result,
                    token=token,
                    upload=upload,
                    sample=_sample_table(result, request.user),
                    described=preview.describe(result, request.user),
                    form=UploadForm(initial={"kind": upload["kind"]}),
                ),
            )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response

    def template_view(self, request, kind):
        if kind not in SHEETS:
            raise Http404
        response = HttpResponse(template(kind), content_type=XLSX)
        response["Content-Disposition"] = content_disposition_header(True, template_name(kind))
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


def _forget(request, token, keep_file=False):
    uploads = request.session.get(SESSION_KEY, {})
    found = uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads
    if found and not keep_file:
        pending.discard(token)


def _sample_table(result, user=None):
    """The first rows as the sheet shows them: header labels and cells (not 50,000 rows).
    ID numbers and birth dates are masked for a user without cadres.view_personal_data."""
    fields = [field for field, _label in result.columns]
    header = [label for _field, label in result.columns]
    hidden = set() if user is None or may_see_personal_data(user) else PERSONAL_FIELDS

    def cell(row, field):
        value = text(row.get(field, ""))
        if field in hidden and value:
            return masked_id_number(value) if field == "id_number" else "••/••/" + value[-4:]
        return value

    rows = [(number, [cell(row, f) for f in fields]) for number, row in result.sample]
    return {"header": header, "rows": rows}

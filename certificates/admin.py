"""Admin of certificates and numbering patterns, and the certificate actions on courses.

Certificates are not typed in: they are issued from a course (action "Issue certificates"
or `manage.py issue_certificates`), then replaced or revoked from this list. None is ever
deleted."""

from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cadres.admin import admin_link, year_filter
from courses.admin import CourseAdmin
from trainingmgr.admin_kit import ScopedAdminMixin
from trainingmgr.pages import public_base_url

from .models import Certificate, NumberingPattern
from .services import CertificateError, replace_certificate, revoke_certificate
from .tasks import ISSUE_PERMISSION, start_issuing
from .views import _pdf_response, _safe_name

# --- Actions on the course list (courses/admin.py lists them) ------------------------------


@admin.action(description=_("Issue certificates"))
def issue_certificates(modeladmin, request, queryset):
    """A background job per selection (certificates/tasks.py); its page shows the progress,
    then who was not eligible and why, and the course PDFs."""
    if not request.user.has_perm(ISSUE_PERMISSION):
        modeladmin.message_user(request, gettext("You may not issue certificates."), messages.ERROR)
        return None
    job = start_issuing(queryset, user=request.user)
    return HttpResponseRedirect(reverse("admin:imports_importbatch_job", args=[job.pk]))


@admin.action(description=_("Download the certificates (PDF)"))
def download_certificates(modeladmin, request, queryset):
    if not request.user.has_perm("certificates.view_certificate"):
        modeladmin.message_user(request, gettext("You may not see certificates."), messages.ERROR)
        return None
    certificates = (
        Certificate.objects.visible_to(request.user)
        .filter(enrolment__course__in=queryset)
        .select_related("enrolment__course__locality", "replaces")
        .order_by("enrolment__course__start_date", "enrolment__course__code", "holder_name")
    )
    from .pdf import certificates_pdf  # reportlab, loaded only when a PDF is drawn

    content = certificates_pdf(certificates, public_base_url(request))
    name = queryset.first().code if queryset.count() == 1 else "courses"
    return _pdf_response(content, f"giay-chung-nhan-{_safe_name(name)}.pdf")


# --- Certificates --------------------------------------------------------------------------


@admin.register(Certificate)
class CertificateAdmin(ScopedAdminMixin, admin.ModelAdmin):
    # Scoped by Certificate.objects.visible_to (the enrolment's rule), as every kit admin.
    list_display = [
        "number",
        "holder_name",
        "course_link",
        "issued_on",
        "status",
        "issuer_name",
        "links",
    ]
    list_filter = ["status", year_filter("issued_on", _("year of issue"))]
    list_select_related = ["enrolment__course", "replaces"]
    search_fields = ["number", "holder_name", "verification_code", "enrolment__course__code"]
    date_hierarchy = "issued_on"
    ordering = ["-issued_on", "number"]
    actions = ["replace_selected", "revoke_selected"]
    readonly_fields = [
        "number",
        "enrolment",
        "status",
        "display_code",
        "issued_on",
        "issuer_name",
        "holder_name",
        "course_title",
        "signer_name",
        "signer_title",
        "replaces",
        "revoked_on",
        "revocation_reason",
        "issued_by",
        "created_at",
        "links",
    ]
    fields = readonly_fields

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404  # outside the scope: a plain 404, as for a certificate that is not there

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("course"), ordering="enrolment__course__code")
    def course_link(self, certificate):
        return admin_link(certificate.enrolment.course, certificate.enrolment.course.code)

    @admin.display(description=_("verification code"))
    def display_code(self, certificate):
        return certificate.display_code

    @admin.display(description=_("links"))
    def links(self, certificate):
        return format_html(
            '<a href="{}">PDF</a> · <a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("certificates:certificate_pdf", args=[certificate.pk]),
            reverse("certificates:verify", args=[certificate.verification_code]),
            gettext("verification page"),
        )

    @admin.action(description=_("Issue a replacement (lost or damaged)"), permissions=["change"])
    def replace_selected(self, request, queryset):
        for certificate in queryset:
            try:
                new = replace_certificate(certificate, user=request.user)
            except CertificateError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("%(old)s replaced by %(new)s.")
                    % {"old": certificate.number, "new": new.number},
                    messages.SUCCESS,
                )

    @admin.action(description=_("Revoke"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        reason = (request.POST.get("reason") or "").strip()
        if request.POST.get("confirm") == "yes":
            if not reason:
                self.message_user(
                    request,
                    gettext("Give the reason for revoking the certificate."),
                    messages.ERROR,
                )
            else:
                for certificate in queryset:
                    try:
                        revoke_certificate(certificate, reason=reason, user=request.user)
                    except CertificateError as error:
                        self.message_user(request, " ".join(error.messages), messages.ERROR)
                    else:
                        self.message_user(
                            request,
                            gettext("%(number)s revoked.") % {"number": certificate.number},
                            messages.SUCCESS,
                        )
                return HttpResponseRedirect(request.get_full_path())
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Revoke certificates"),
            "certificates": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "reason": reason,
        }
        return TemplateResponse(request, "certificates/admin_revoke.html", context)


@admin.register(NumberingPattern)
class NumberingPatternAdmin(ScopedAdminMixin, admin.ModelAdmin):
    # Scoped by NumberingPattern.objects.visible_to (the organiser's rule), as every kit admin.
    list_display = ["prefix", "agency", "digits", "signer_name", "signer_title", "example"]
    search_fields = ["prefix", "agency__name", "agency__code"]
    autocomplete_fields = ["agency"]
    scope_error_fields = {"locality": "agency", "agency": "agency"}

    @admin.display(description=_("example"))
    def example(self, pattern):
        return pattern.format(2026, 123)


# The course admin's certificate actions, added from here so that courses imports nothing
# of certificates (docs/ARCHITECTURE.md).
CourseAdmin.add_features(actions=[issue_certificates, download_certificates])

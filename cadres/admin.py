"""Admin of people and reference data, plus the pieces every admin of the project shares:
the export base class, the locality (current unit) filter and the year filter."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportActionMixin
from simple_history.admin import SimpleHistoryAdmin

from accounts import scoping
from accounts.admin import ScopedAdminMixin
from accounts.audit import record_personal_data_access
from courses.models import Enrolment
from trainingmgr import admin_ux  # noqa: F401 - the site's section order, axes' messages
from trainingmgr.forms import amount_fields
from trainingmgr.search import FoldedSearchMixin
from trainingmgr.text import fold

from .models import Agency, Cadre, LanguageSkill, Locality, NotDuplicate, Rank, WorkforceBaseline
from .resources import (
    EXPORT_FORMATS,
    PERSONAL_COLUMNS,
    CadreExportResource,
    ExportForm,
    WorkforceBaselineExportResource,
    export_file_name,
    without_personal_data,
)
from .services import duplicate_pairs, merge_cadres

admin.site.site_header = _("Training management")
admin.site.site_title = _("Training management")
admin.site.index_title = _("Training of foreign-affairs and integration cadres")

# The changelist template: "Export", plus an "Import" button on the lists that the
# spreadsheet import fills (admins with an import_kind), linking to the upload view.
CHANGE_LIST_TEMPLATE = "admin/change_list_export_import.html"

PERSONAL_DATA_PERMISSION = "cadres.view_personal_data"
MERGE_PERMISSION = "cadres.merge_cadre"


def may_see_personal_data(user):
    return user.has_perm(PERSONAL_DATA_PERMISSION)


def masked_id_number(id_number):
    """All but the last four digits hidden: enough to tell two people apart on a list."""
    if not id_number:
        return "-"
    return "•" * max(len(id_number) - 4, 4) + id_number[-4:]


def id_number_for(user, cadre):
    return (
        (cadre.id_number or "-")
        if may_see_personal_data(user)
        else masked_id_number(cadre.id_number)
    )


def birth_for(user, cadre):
    """The birth date for those who may see it, else the birth year alone."""
    if cadre.birth_date and may_see_personal_data(user):
        return formats.date_format(cadre.birth_date, "SHORT_DATE_FORMAT")
    return cadre.birth_year or "-"


class ExportAdmin(ExportActionMixin, admin.ModelAdmin):
    """A ModelAdmin whose list exports to xlsx and csv, honouring the changelist's filters.

    Exporting needs the view permission (IMPORT_EXPORT_EXPORT_PERMISSION_CODE). Set
    ``import_kind`` to show the "Import" button for that spreadsheet kind.
    """

    export_formats = EXPORT_FORMATS
    export_form_class = ExportForm  # Vietnamese column labels, .xlsx preselected
    # A BOM so that Excel reads the Vietnamese in a CSV as UTF-8.
    to_encoding = "utf-8-sig"
    import_export_change_list_template = CHANGE_LIST_TEMPLATE
    import_kind = None
    export_form_class = admin_ux.ColumnExportForm  # columns named as in the file

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "import_kind": self.import_kind}
        return super().changelist_view(request, extra_context)

    def get_valid_export_item_pks(self, request):
        """The rows an "export selected" action may name: those of the user's list (the
        library's default, all rows of the table, is deprecated)."""
        return self.get_queryset(request).values_list("pk", flat=True)

    def get_export_resource_classes(self, request):
        """Without the personal columns for users who may not see personal data."""
        classes = super().get_export_resource_classes(request)
        if may_see_personal_data(request.user):
            return classes
        return [without_personal_data(resource_class) for resource_class in classes]

    def get_data_for_export(self, request, queryset, **kwargs):
        data = super().get_data_for_export(request, queryset, **kwargs)
        # Read by get_export_filename(), called after this for the same response.
        request.export_has_personal_data = bool(PERSONAL_COLUMNS & set(data.headers or ()))
        if request.export_has_personal_data:  # who saw personal data (accounts/audit.py)
            record_personal_data_access(request, queryset.model, count=len(data), channel="export")
        return data

    def get_export_filename(self, request, queryset, file_format):
        """A file with ID numbers or birth dates says so in its name."""
        name = export_file_name(self.model, file_format)  # khoa-hoc-01-12-2026.xlsx
        if getattr(request, "export_has_personal_data", False):
            stem, _dot, extension = name.rpartition(".")
            name = f"{stem}-personal-data.{extension}"
        return name

    def get_export_data(self, file_format, request, queryset, **kwargs):
        """As import-export's, except that "binary" is asked of the format: the library
        checks the exact class, and our formats are subclasses (dates would become text)."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(
            request, queryset, force_native_type=file_format.is_binary(), **kwargs
        )
        export_data = file_format.export_data(data)
        encoding = kwargs.get("encoding")
        if not file_format.is_binary() and encoding:
            export_data = export_data.encode(encoding)
        return export_data


def locality_filter(field_name, title=None):
    """A list filter on a locality field by current unit: choosing a current locality also
    finds the records of the former provinces merged into it; a former one finds itself."""

    class LocalityFilter(admin.SimpleListFilter):
        parameter_name = f"{field_name}_unit"

        def lookups(self, request, model_admin):
            localities = Locality.objects.order_by("era", "code")  # "current" sorts first
            return [(str(locality.pk), str(locality)) for locality in localities]

        def queryset(self, request, queryset):
            value = self.value()
            if not value or not value.isdigit():
                return queryset
            return queryset.filter(
                Q(**{f"{field_name}_id": value}) | Q(**{f"{field_name}__successor_id": value})
            )

    LocalityFilter.title = title or _("locality")
    return LocalityFilter


def year_filter(date_field, title=None):
    """A list filter on the year of a date field, listing the years that have data."""
    model_path, _sep, field = date_field.rpartition("__")

    class YearFilter(admin.SimpleListFilter):
        parameter_name = f"{date_field}_year"

        def lookups(self, request, model_admin):
            model = model_admin.model
            if model_path:
                model = model._meta.get_field(model_path).related_model
            years = model._default_manager.dates(field, "year", order="DESC")
            return [(str(day.year), str(day.year)) for day in years]

        def queryset(self, request, queryset):
            value = self.value()
            if not value or not value.isdigit():
                return queryset
            return queryset.filter(**{f"{date_field}__year": int(value)})

    YearFilter.title = title or _("year")
    return YearFilter


def admin_link(obj, label=None):
    """A link to an object's admin change page."""
    if obj is None:
        return "-"
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, label or obj)


class TrackedAdmin(SimpleHistoryAdmin, ExportAdmin):
    """An exportable admin whose records keep their change history (who, when, what),
    shown by the "History" button of each record's page (history/models.py)."""


@admin.register(Locality)
class LocalityAdmin(FoldedSearchMixin, ExportAdmin):
    list_display = ["code", "name", "era", "division_type", "successor"]
    list_display_links = ["code", "name"]
    list_filter = ["era", "division_type"]
    list_select_related = ["successor"]
    search_fields = ["code", "name", "aliases"]
    autocomplete_fields = ["successor"]
    ordering = ["era", "code"]

    def get_search_results(self, request, queryset, search_term):
        """Localities are reference data everyone may list, but the autocomplete of a form
        (a cadre's locality...) offers a scoped user only the localities of their scope."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        match = request.resolver_match
        if match is not None and match.url_name == "autocomplete":
            queryset = scoping.choices(queryset, request.user)
        return queryset, may_have_duplicates


@admin.register(Rank)
class RankAdmin(FoldedSearchMixin, ExportAdmin):
    list_display = ["name", "code", "order", "is_leader"]
    list_editable = ["order", "is_leader"]
    search_fields = ["code", "name", "aliases"]
    ordering = ["order", "code"]
    fields = ["code", "name", "order", "is_leader", "aliases"]


@admin.register(Agency)
class AgencyAdmin(FoldedSearchMixin, ScopedAdminMixin, ExportAdmin):
    list_display = ["name", "short_name", "code", "level", "locality"]
    list_filter = ["level", admin_ux.current_locality_filter("locality")]
    list_select_related = ["locality"]
    search_fields = ["name", "short_name", "code"]
    autocomplete_fields = ["locality"]
    ordering = ["name"]
    scope_filter = "agencies"
    scope_error_fields = {"locality": "locality", "agency": None}


class LanguageSkillInline(admin.TabularInline):
    model = LanguageSkill
    extra = 0
    form = admin_ux.LanguageSkillForm  # languages by name


class EnrolmentOfCadreInline(admin.TabularInline):
    """The cadre's courses, read-only here: enrolments are edited on the course."""

    model = Enrolment
    verbose_name_plural = _("courses attended")
    fields = ["course_link", "course_start", "status", "certificate_number", "rank", "locality"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = scoping.enrolments(super().get_queryset(request), request.user)
        return queryset.select_related("course", "rank", "locality").order_by("-course__start_date")

    @admin.display(description=_("course"))
    def course_link(self, enrolment):
        return admin_link(enrolment.course)

    @admin.display(description=_("start date"))
    def course_start(self, enrolment):
        return formats.date_format(enrolment.course.start_date, "SHORT_DATE_FORMAT")


@admin.register(Cadre)
class CadreAdmin(FoldedSearchMixin, ScopedAdminMixin, TrackedAdmin):
    list_display = [
        "full_name",
        "birth_date",
        "id_number",
        "gender",
        "position",
        "rank",
        "agency",
        "locality",
        "courses_counted",
    ]
    list_filter = ["rank", admin_ux.current_locality_filter("locality"), "agency__level", "gender"]
    list_select_related = ["rank", "agency", "locality"]
    search_fields = ["full_name", "name_key", "email", "id_number", "position"]
    autocomplete_fields = ["agency", "locality"]
    ordering = ["name_key", "id"]
    inlines = [LanguageSkillInline, EnrolmentOfCadreInline]
    fieldsets = [
        (None, {"fields": ["full_name", "gender", "birth_date", "birth_year"]}),
        (_("Work"), {"fields": ["position", "rank", "agency", "locality"]}),
        (_("Contact and identity"), {"fields": ["email", "id_number"]}),
    ]
    resource_classes = [CadreExportResource]
    scope_filter = "cadres"
    import_export_change_list_template = "admin/cadres/cadre/change_list_duplicates.html"
    change_form_template = "certificates/admin_cadre_change_form.html"  # training record links

    # Personal data: shown and editable only with cadres.view_personal_data; others get
    # masked read-only values in their place (and cannot search by ID number).
    MASKED = {"birth_date": "birth_masked", "id_number": "id_number_masked"}

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if may_see_personal_data(request.user):
            return columns
        return [self.MASKED.get(column, column) for column in columns]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if may_see_personal_data(request.user):
            if obj is not None and obj.pk:  # who saw personal data (accounts/audit.py)
                record_personal_data_access(request, Cadre, [obj.pk], "page")
            return fieldsets
        return [
            (name, {**options, "fields": [self.MASKED.get(f, f) for f in options["fields"]]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not may_see_personal_data(request.user):
            readonly += self.MASKED.values()
        return readonly

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if may_see_personal_data(request.user):
            return fields
        return [f for f in fields if f != "id_number"]

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if may_see_personal_data(request.user):  # who saw personal data (accounts/audit.py)
            ids = [cadre.pk for cadre in changelist.result_list]
            record_personal_data_access(request, Cadre, ids, "page")
        return changelist

    @admin.display(description=_("birth year"), ordering="birth_year")
    def birth_masked(self, cadre):
        return cadre.birth_year or "-"

    @admin.display(description=_("personal ID number"))
    def id_number_masked(self, cadre):
        return masked_id_number(cadre.id_number)

    # The duplicate review.

    def get_urls(self):
        urls = super().get_urls()
        return [
            path(
                "duplicates/",
                self.admin_site.admin_view(self.duplicates_view),
                name="cadres_cadre_duplicates",
            ),
            *urls,
        ]

    def has_merge_permission(self, request):
        return request.user.has_perm(MERGE_PERMISSION)

    def duplicates_view(self, request):
        """Likely duplicate pairs in the user's scope, with "merge" and "not the same
        person" buttons (POST, administrators only)."""
        if not self.has_merge_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            self._act_on_pair(request)
            return redirect("admin:cadres_cadre_duplicates")
        cadres = scoping.cadres(Cadre.objects.all(), request.user)
        pairs = duplicate_pairs(cadres.select_related("rank", "agency", "locality"))
        rows = [
            {
                "pair": pair,
                "cadres": [
                    {
                        "cadre": cadre,
                        "birth": birth_for(request.user, cadre),
                        "id_number": id_number_for(request.user, cadre),
                    }
                    for cadre in (pair.first, pair.second)
                ],
            }
            for pair in pairs
        ]
        if may_see_personal_data(request.user):  # who saw personal data (accounts/audit.py)
            ids = sorted({c.pk for pair in pairs for c in (pair.first, pair.second)})
            record_personal_data_access(request, Cadre, ids, "page")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Likely duplicate cadres"),
            "rows": rows,
        }
        return TemplateResponse(request, "admin/cadres/cadre/duplicates.html", context)

    def _act_on_pair(self, request):
        queryset = self.get_queryset(request)
        first = get_object_or_404(queryset, pk=_pk(request.POST.get("first")))
        second = get_object_or_404(queryset, pk=_pk(request.POST.get("second")))
        action = request.POST.get("action")
        if action == "not_same":
            NotDuplicate.mark(first, second, user=request.user)
            self.message_user(
                request,
                gettext("%(a)s and %(b)s are marked as different people.")
                % {"a": first, "b": second},
            )
            return
        if action != "merge":
            raise PermissionDenied
        removed = f"{second} (#{second.pk})"
        try:
            kept = merge_cadres(keep=first, remove=second, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.log_change(request, kept, gettext("Merged with %(removed)s.") % {"removed": removed})
        self.message_user(
            request,
            gettext("%(removed)s was merged into %(kept)s.") % {"removed": removed, "kept": kept},
        )

    def get_queryset(self, request):
        # A subquery, not Count() over a join: no GROUP BY, so search results combine freely.
        counted = (
            Enrolment.objects.counted()
            .filter(cadre=OuterRef("pk"))
            .order_by()
            .values("cadre")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(courses_counted=Coalesce(Subquery(counted, IntegerField()), 0))
        )

    @admin.display(description=_("courses attended"), ordering="courses_counted")
    def courses_counted(self, cadre):
        return cadre.courses_counted

    def get_search_results(self, request, queryset, search_term):
        """Names also match without diacritics or spaces ('nguyen van a' finds
        'Nguyễn Văn A') through the folded name key."""
        result, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        folded = fold(search_term)
        if folded:
            result = result | queryset.filter(name_key__contains=folded)
        return result, may_have_duplicates


@admin.register(LanguageSkill)
class LanguageSkillAdmin(FoldedSearchMixin, ScopedAdminMixin, ExportAdmin):
    list_display = ["cadre", admin_ux.language_column, "level"]
    form = admin_ux.LanguageSkillForm  # languages by name
    list_filter = ["language", "level"]
    list_select_related = ["cadre"]
    search_fields = ["cadre__full_name", "cadre__name_key", "language"]
    autocomplete_fields = ["cadre"]
    ordering = ["cadre__name_key", "language"]
    scope_filter = "language_skills"
    scope_error_fields = {"locality": "cadre", "agency": "cadre"}


@admin.register(WorkforceBaseline)
@amount_fields("headcount")
class WorkforceBaselineAdmin(FoldedSearchMixin, ScopedAdminMixin, TrackedAdmin):
    list_display = ["year", "rank", "locality", "agency", "headcount"]
    list_filter = ["year", "rank", admin_ux.current_locality_filter("locality"), "agency__level"]
    list_select_related = ["rank", "locality", "agency"]
    search_fields = ["locality__name", "agency__name", "agency__short_name"]
    autocomplete_fields = ["locality", "agency"]
    ordering = ["-year", "rank__order", "locality__code"]
    resource_classes = [WorkforceBaselineExportResource]
    import_kind = "baselines"
    scope_filter = "baselines"


def _pk(value):
    """A posted primary key, or 0 (which matches nothing) when it is not a number."""
    return int(value) if value and value.isdigit() else 0

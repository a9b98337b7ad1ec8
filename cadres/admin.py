"""Admin of people and reference data, plus the pieces every admin of the project shares:
the export base class, the locality (current unit) filter and the year filter."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportActionMixin

from courses.models import Enrolment
from trainingmgr.text import fold

from .models import Agency, Cadre, LanguageSkill, Locality, Rank, WorkforceBaseline
from .resources import EXPORT_FORMATS, WorkforceBaselineExportResource

admin.site.site_header = _("Training management")
admin.site.site_title = _("Training management")
admin.site.index_title = _("Training of foreign-affairs and integration cadres")

# The changelist template: "Export", plus an "Import" button on the lists that the
# spreadsheet import fills (admins with an import_kind), linking to the upload view.
CHANGE_LIST_TEMPLATE = "admin/change_list_export_import.html"


class ExportAdmin(ExportActionMixin, admin.ModelAdmin):
    """A ModelAdmin whose list exports to xlsx and csv, honouring the changelist's filters.

    Exporting needs the view permission (IMPORT_EXPORT_EXPORT_PERMISSION_CODE). Set
    ``import_kind`` to show the "Import" button for that spreadsheet kind.
    """

    export_formats = EXPORT_FORMATS
    # A BOM so that Excel reads the Vietnamese in a CSV as UTF-8.
    to_encoding = "utf-8-sig"
    import_export_change_list_template = CHANGE_LIST_TEMPLATE
    import_kind = None

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "import_kind": self.import_kind}
        return super().changelist_view(request, extra_context)

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


@admin.register(Locality)
class LocalityAdmin(ExportAdmin):
    list_display = ["code", "name", "era", "division_type", "successor"]
    list_display_links = ["code", "name"]
    list_filter = ["era", "division_type"]
    list_select_related = ["successor"]
    search_fields = ["code", "name", "aliases"]
    autocomplete_fields = ["successor"]
    ordering = ["era", "code"]


@admin.register(Rank)
class RankAdmin(ExportAdmin):
    list_display = ["name", "code", "order", "is_leader"]
    list_editable = ["order", "is_leader"]
    search_fields = ["code", "name", "aliases"]
    ordering = ["order", "code"]
    fields = ["code", "name", "order", "is_leader", "aliases"]


@admin.register(Agency)
class AgencyAdmin(ExportAdmin):
    list_display = ["name", "short_name", "code", "level", "locality"]
    list_filter = ["level", locality_filter("locality")]
    list_select_related = ["locality"]
    search_fields = ["name", "short_name", "code"]
    autocomplete_fields = ["locality"]
    ordering = ["name"]


class LanguageSkillInline(admin.TabularInline):
    model = LanguageSkill
    extra = 0


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
        return (
            super()
            .get_queryset(request)
            .select_related("course", "rank", "locality")
            .order_by("-course__start_date")
        )

    @admin.display(description=_("course"))
    def course_link(self, enrolment):
        return admin_link(enrolment.course)

    @admin.display(description=_("start date"))
    def course_start(self, enrolment):
        return enrolment.course.start_date


@admin.register(Cadre)
class CadreAdmin(ExportAdmin):
    list_display = [
        "full_name",
        "birth_year",
        "gender",
        "position",
        "rank",
        "agency",
        "locality",
        "courses_counted",
    ]
    list_filter = ["rank", locality_filter("locality"), "agency__level", "gender"]
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
class LanguageSkillAdmin(ExportAdmin):
    list_display = ["cadre", "language", "level"]
    list_filter = ["language", "level"]
    list_select_related = ["cadre"]
    search_fields = ["cadre__full_name", "cadre__name_key", "language"]
    autocomplete_fields = ["cadre"]
    ordering = ["cadre__name_key", "language"]


@admin.register(WorkforceBaseline)
class WorkforceBaselineAdmin(ExportAdmin):
    list_display = ["year", "rank", "locality", "agency", "headcount"]
    list_filter = ["year", "rank", locality_filter("locality"), "agency__level"]
    list_select_related = ["rank", "locality", "agency"]
    search_fields = ["locality__name", "agency__name", "agency__short_name"]
    autocomplete_fields = ["locality", "agency"]
    ordering = ["-year", "rank__order", "locality__code"]
    resource_classes = [WorkforceBaselineExportResource]
    import_kind = "baselines"

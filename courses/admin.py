"""Admin of programmes, targets, course types, courses, enrolments and tallies."""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from trainingmgr import admin_ux
from trainingmgr.admin_kit import (
    ExportAdmin,
    ScopedAdminMixin,
    TrackedAdmin,
    admin_link,
    year_filter,
)
from trainingmgr.forms import amount_fields
from trainingmgr.search import FoldedSearchMixin

from .models import (
    Course,
    CourseType,
    Enrolment,
    ParticipantTally,
    Programme,
    Target,
)
from .resources import (
    CourseExportResource,
    EnrolmentExportResource,
    ParticipantTallyExportResource,
)

COUNTING_RULE = _(
    "A course counts its named list (enrolments attended or completed) if it has one, "
    "else its participant tallies, never both."
)


class AtHomeOrAbroadFilter(admin.SimpleListFilter):
    title = _("held")
    parameter_name = "held"

    def lookups(self, request, model_admin):
        return [("home", _("At home")), ("abroad", _("Abroad"))]

    def queryset(self, request, queryset):
        if self.value() == "home":
            return queryset.at_home()
        if self.value() == "abroad":
            return queryset.abroad()
        return queryset


class ProgrammeFilter(admin.RelatedFieldListFilter):
    """Programmes listed by code: their full names are too long for the filter column."""

    def field_choices(self, field, request, model_admin):
        return [(p.pk, p.code) for p in Programme.objects.order_by("first_year", "code")]


class TargetInline(ScopedAdminMixin, admin.StackedInline):
    reference_data = True
    model = Target
    extra = 0
    autocomplete_fields = ["ranks", "course_types", "localities"]
    fields = [
        ("code", "order"),
        "label",
        ("metric", "value_min", "value_max"),
        ("year_from", "year_to", "level"),
        "ranks",
        "course_types",
        "localities",
        ("language", "language_level"),
        "source_quote",
    ]


@admin.register(Programme)
class ProgrammeAdmin(FoldedSearchMixin, ExportAdmin):
    list_display = [
        "code",
        "name",
        "legal_number",
        "first_year",
        "last_year",
        "lead_agency",
        "course_count",
        "report_link",
    ]
    list_display_links = ["code", "name"]
    list_select_related = ["lead_agency"]
    search_fields = ["code", "name", "legal_number"]
    autocomplete_fields = ["lead_agency"]
    ordering = ["first_year", "code"]
    inlines = [TargetInline]
    reference_data = True

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(course_count=Count("courses"))

    @admin.display(description=_("courses"), ordering="course_count")
    def course_count(self, programme):
        return programme.course_count

    @admin.display(description=_("progress report"))
    def report_link(self, programme):
        url = reverse("reports:programme_detail", args=[programme.code])
        return format_html('<a href="{}">{}</a>', url, _("Report"))


@admin.register(Target)
class TargetAdmin(FoldedSearchMixin, TrackedAdmin):
    list_display = [
        "label",
        "programme",
        "code",
        "metric",
        "value_min",
        "value_max",
        "year_from",
        "year_to",
    ]
    list_filter = [("programme", ProgrammeFilter), "metric", "level"]
    list_select_related = ["programme"]
    search_fields = ["code", "label", "source_quote", "programme__code"]
    autocomplete_fields = ["programme"]
    filter_horizontal = ["ranks", "course_types", "localities"]
    ordering = ["programme__first_year", "programme__code", "order", "code"]
    reference_data = True


@admin.register(CourseType)
class CourseTypeAdmin(FoldedSearchMixin, ExportAdmin):
    list_display = ["name", "code", "order"]
    list_editable = ["order"]
    search_fields = ["code", "name", "aliases"]
    ordering = ["order", "code"]
    reference_data = True


class EnrolmentInline(ScopedAdminMixin, admin.TabularInline):
    """The course's named list. Rank, agency and locality are copied from the cadre on save
    and shown read-only here (a course may list a hundred people: three selects a row would
    cost three queries a row); they are corrected on the enrolment's own page."""

    model = Enrolment
    extra = 1
    template = "admin/edit_inline/tabular_totals.html"  # totals by status under the list
    autocomplete_fields = ["cadre"]
    # The certificate number is on the enrolment's own page (certificates/ issues them).
    fields = ["cadre", "status", "score", "rank", "agency", "locality"]
    readonly_fields = ["rank", "agency", "locality"]
    show_change_link = True
    # A scoped clerk sees and edits only the rows of their scope on a course's list.
    scope_filter = "enrolments"
    scope_error_fields = {"locality": "cadre", "agency": "cadre"}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("cadre", "rank", "agency", "locality", "course")
        )


@amount_fields("count")
class ParticipantTallyInline(ScopedAdminMixin, admin.TabularInline):
    model = ParticipantTally
    extra = 0
    template = "admin/edit_inline/tabular_totals.html"  # the head counts' sum under the list
    autocomplete_fields = ["locality"]
    fields = ["rank", "locality", "gender", "count"]
    scope_filter = "tallies"
    scope_error_fields = {"locality": "locality", "agency": None}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("rank", "locality", "course")


@admin.register(Course)
@amount_fields("planned_participants", money=("budget_planned", "budget_spent"))
class CourseAdmin(FoldedSearchMixin, TrackedAdmin):
    def others_depend_on(self, request, obj):
        """A course's enrolments and tallies go with it: a scoped clerk may not delete a
        course on which another province's people are listed."""
        enrolments = Enrolment.objects.filter(course=obj)
        tallies = ParticipantTally.objects.filter(course=obj)
        return (
            enrolments.exclude(pk__in=enrolments.visible_to(request.user)).exists()
            or tallies.exclude(pk__in=tallies.visible_to(request.user)).exists()
        )

    list_display = [
        "code",
        "title",
        "programme_code",
        "course_type",
        "start_date",
        "end_date",
        "held",
        "status",
        "planned_participants",
        "participants",
    ]
    list_display_links = ["code", "title"]
    list_filter = [
        ("programme", ProgrammeFilter),
        year_filter("start_date"),
        "course_type",
        AtHomeOrAbroadFilter,
        "status",
        "mode",
        admin_ux.current_locality_filter("locality", _("held in (locality)")),
    ]
    list_select_related = ["programme", "course_type", "locality"]
    search_fields = ["code", "title", "country", "organiser__name"]
    autocomplete_fields = ["programme", "organiser", "locality"]
    date_hierarchy = "start_date"
    ordering = ["-start_date", "code"]
    # Certificates and evaluations add their actions and the lecturer inline (add_features).
    inlines = [EnrolmentInline, ParticipantTallyInline]
    actions = []
    fieldsets = [
        (None, {"fields": ["code", "title", "programme", "course_type", "status", "pass_mark"]}),
        (
            _("When and where"),
            {"fields": [("start_date", "end_date"), "locality", "country", "mode", "organiser"]},
        ),
        (
            _("Participants and budget"),
            {
                "fields": ["planned_participants", ("budget_planned", "budget_spent")],
                "description": COUNTING_RULE,
            },
        ),
    ]
    resource_classes = [CourseExportResource]
    import_kind = "courses"
    scope_filter = "courses"
    scope_error_fields = {"locality": "locality", "agency": "organiser"}

    @classmethod
    def add_features(cls, *, actions=(), inlines=()):
        """Apps above the courses (certificates, evaluations) add their actions and inlines
        from their own admin module, so that this one imports none of them."""
        cls.actions = [*cls.actions, *actions]
        cls.inlines = [*cls.inlines, *inlines]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).with_participant_times(request.user, name="participants")
        )

    @admin.display(description=_("programme"), ordering="programme__code")
    def programme_code(self, course):
        return course.programme.code if course.programme else "-"

    @admin.display(description=_("held in"))
    def held(self, course):
        return course.country or (course.locality.name if course.locality else "-")

    @admin.display(description=_("participant-times"), ordering="participants")
    def participants(self, course):
        return course.participants


@admin.register(Enrolment)
class EnrolmentAdmin(FoldedSearchMixin, TrackedAdmin):
    # The report's "no locality recorded" links (reports/programme_detail.html).
    extra_lookups = ("course__programme__id__exact", "locality__isnull")
    list_display = [
        "cadre",
        "course_link",
        "course_start",
        "status",
        "rank",
        "agency",
        "locality",
        "certificate_number",
    ]
    list_filter = [
        "status",
        ("course__programme", ProgrammeFilter),
        year_filter("course__start_date"),
        "rank",
        admin_ux.current_locality_filter("locality", _("locality at the course")),
        "course__course_type",
    ]
    list_select_related = ["cadre", "course", "rank", "agency", "locality"]
    search_fields = [
        "cadre__full_name",
        "cadre__name_key",
        "course__code",
        "course__title",
        "certificate_number",
    ]
    autocomplete_fields = ["course", "cadre", "agency", "locality"]
    ordering = ["-course__start_date", "course__code", "cadre__name_key"]
    resource_classes = [EnrolmentExportResource]
    import_kind = "participants"
    scope_filter = "enrolments"
    scope_error_fields = {"locality": "locality", "agency": "agency"}

    @admin.display(description=_("course"), ordering="course__code")
    def course_link(self, enrolment):
        return admin_link(enrolment.course, enrolment.course.code)

    @admin.display(description=_("start date"), ordering="course__start_date")
    def course_start(self, enrolment):
        return enrolment.course.start_date


@admin.register(ParticipantTally)
@amount_fields("count")
class ParticipantTallyAdmin(FoldedSearchMixin, TrackedAdmin):
    # The report's "no locality recorded" links (reports/programme_detail.html).
    extra_lookups = ("course__programme__id__exact", "locality__isnull")
    list_display = ["course_link", "course_start", "rank", "locality", "gender", "count"]
    list_filter = [
        ("course__programme", ProgrammeFilter),
        year_filter("course__start_date"),
        "rank",
        admin_ux.current_locality_filter("locality"),
        "gender",
    ]
    list_select_related = ["course", "rank", "locality"]
    search_fields = ["course__code", "course__title"]
    autocomplete_fields = ["course", "locality"]
    ordering = ["-course__start_date", "course__code", "rank__order"]
    resource_classes = [ParticipantTallyExportResource]
    import_kind = "tallies"
    scope_filter = "tallies"
    scope_error_fields = {"locality": "locality", "agency": "course"}

    @admin.display(description=_("course"), ordering="course__code")
    def course_link(self, tally):
        return admin_link(tally.course, tally.course.code)

    @admin.display(description=_("start date"), ordering="course__start_date")
    def course_start(self, tally):
        return tally.course.start_date

"""Admin of plans (compact lines with totals), reporting periods and deadlines, scoped like
everything else (the models' ``visible_to``)."""

from django.contrib import admin
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trainingmgr.admin_kit import ScopedAdminMixin

from .models import PeriodTransition, Plan, PlanLine, ReportingDeadline, ReportingPeriod


class UnitScopedAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Plans and periods are scoped by their models' ``visible_to`` (plans.models), like every
    kit model: the list, the forms (a unit outside the scope is refused on its field) and
    the foreign-key choices."""


class PlanLineInline(ScopedAdminMixin, admin.TabularInline):
    model = PlanLine
    extra = 1
    fields = [
        "course_type",
        "abroad",
        "rank",
        "courses",
        "participant_times",
        "budget",
        "funding_source",
        "quarter",
    ]

    class Media:
        css = {"all": ["plans/admin.css"]}


def _number(value):
    return f"{value or 0:,}".replace(",", ".")


@admin.register(Plan)
class PlanAdmin(UnitScopedAdmin):
    list_display = [
        "__str__",
        "year",
        "programme",
        "line_count",
        "total_courses",
        "total_times",
        "total_budget",
    ]
    list_filter = ["year", "programme"]
    list_select_related = ["locality", "agency", "programme"]
    search_fields = ["locality__name", "agency__name", "programme__code"]
    autocomplete_fields = ["agency"]
    fields = ["locality", "agency", "year", "programme", "note", "totals"]
    readonly_fields = ["totals"]
    inlines = [PlanLineInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_lines=Count("lines"),
                sum_courses=Sum("lines__courses"),
                sum_times=Sum("lines__participant_times"),
                sum_budget=Sum("lines__budget"),
            )
        )

    @admin.display(description=_("lines"), ordering="n_lines")
    def line_count(self, plan):
        return plan.n_lines

    @admin.display(description=_("planned courses"), ordering="sum_courses")
    def total_courses(self, plan):
        return _number(plan.sum_courses)

    @admin.display(description=_("planned participant-times"), ordering="sum_times")
    def total_times(self, plan):
        return _number(plan.sum_times)

    @admin.display(description=_("planned budget (VND)"), ordering="sum_budget")
    def total_budget(self, plan):
        return _number(plan.sum_budget)

    @admin.display(description=_("totals"))
    def totals(self, plan):
        if plan.pk is None:
            return "-"
        sums = plan.lines.aggregate(c=Sum("courses"), t=Sum("participant_times"), b=Sum("budget"))
        return format_html(
            '{}: {} · {}: {} · {}: {} VND · <a href="{}">{}</a>',
            gettext("courses"),
            _number(sums["c"]),
            gettext("participant-times"),
            _number(sums["t"]),
            gettext("budget"),
            _number(sums["b"]),
            reverse("plans:plans") + f"?year={plan.year}",
            gettext("Plan against actual"),
        )


class TransitionInline(ScopedAdminMixin, admin.TabularInline):
    model = PeriodTransition
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "user", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(UnitScopedAdmin):
    """Periods are moved on their own pages (submit, approve, return, reopen), where every
    move is recorded; the admin lists them."""

    list_display = [
        "__str__",
        "year",
        "status",
        "submitted_at",
        "approved_by",
        "approved_at",
        "page",
    ]
    list_filter = ["year", "status"]
    list_select_related = ["locality", "agency", "approved_by"]
    search_fields = ["locality__name", "agency__name"]
    fields = [
        "locality",
        "agency",
        "year",
        "status",
        "submitted_by",
        "submitted_at",
        "approved_by",
        "approved_at",
    ]
    readonly_fields = ["status", "submitted_by", "submitted_at", "approved_by", "approved_at"]
    autocomplete_fields = ["agency"]
    inlines = [TransitionInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["locality", "agency", "year", *self.readonly_fields]
        return self.readonly_fields

    @admin.display(description=_("page"))
    def page(self, period):
        url = reverse("plans:period", args=[period.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Open"))


@admin.register(ReportingDeadline)
class ReportingDeadlineAdmin(ScopedAdminMixin, admin.ModelAdmin):
    reference_data = True  # deadlines are set by administrators for everyone
    list_display = ["year", "programme", "due"]
    list_filter = ["programme"]

"""Yearly training plans and budgets, and the reporting periods that close a unit's year.

A *unit* is an agency or a current provincial unit (exactly one of the two). A plan belongs
to a unit, a year and optionally a programme; its lines say what the unit means to do. A
reporting period is a unit's year: open, submitted by a clerk of the unit, approved by a
manager of the lead agency or an administrator (then locked, plans.locks), or returned.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cadres.models import ONE_UNIT, Agency, Locality, PlacedByUnit, Rank, placed_condition
from courses.models import CourseType, Programme
from provenance.models import BatchTraced
from trainingmgr.constraints import COUNT_VALIDATORS, ONE_OF, unique_one_of, unique_with_or_without
from trainingmgr.visibility import ScopedQuerySet, prefixed

YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]
UNIT_XOR = ONE_UNIT  # cadres.models: a locality or an agency, exactly one


class UnitQuerySet(ScopedQuerySet):
    def scope_condition(self, scope, user):
        """A plan or a period belongs to its unit the way a baseline does: a locality in
        scope or an agency there; for an agency scope, that agency."""
        return placed_condition(scope)


class PlanLineQuerySet(ScopedQuerySet):
    def scope_condition(self, scope, user):
        """The lines of the plans in scope."""
        condition = placed_condition(scope)
        return None if condition is None else prefixed(condition, "plan__")


class PeriodTransitionQuerySet(ScopedQuerySet):
    def scope_condition(self, scope, user):
        """The transitions of the periods in scope."""
        condition = placed_condition(scope)
        return None if condition is None else prefixed(condition, "period__")


class UnitMixin(PlacedByUnit):
    """A locality (current unit) or an agency, exactly one (cadres.models.PlacedByUnit)."""

    locality = models.ForeignKey(
        Locality,
        verbose_name=_("locality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"era": "current"},
        related_name="+",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    def unit_errors(self):
        errors = super().unit_errors(field="locality")
        if not errors and self.locality_id and self.locality.era != Locality.Era.CURRENT:
            errors["locality"] = _("A plan or a period names a current locality.")
        return errors


class Plan(UnitMixin, BatchTraced):
    """A unit's training plan and budget estimate for one year (Decision 2007/QĐ-TTg, Điều 2),
    optionally for one programme. One plan per unit, year and programme."""

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    note = models.TextField(_("note"), blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        ordering = ["-year", "locality__code", "agency__name", "programme__code"]
        constraints = [
            models.CheckConstraint(condition=UNIT_XOR, name="plan_locality_xor_agency"),
            *unique_with_or_without(
                ["locality", "year", "programme"],
                "programme",
                name_with="plan_unique_locality_programme",
                name_without="plan_unique_locality",
                where={"agency__isnull": True},
            ),
            *unique_with_or_without(
                ["agency", "year", "programme"],
                "programme",
                name_with="plan_unique_agency_programme",
                name_without="plan_unique_agency",
                where={"locality__isnull": True},
            ),
        ]

    def __str__(self):
        programme = f" · {self.programme.code}" if self.programme_id else ""
        return f"{self.unit} · {self.year}{programme}"

    def clean(self):
        errors = self.unit_errors()
        if self.programme_id and self.year:
            programme = self.programme
            if not programme.first_year <= self.year <= programme.last_year:
                errors["year"] = _(
                    "%(year)s is outside the programme %(code)s (%(first)s-%(last)s)."
                ) % {
                    "year": self.year,
                    "code": programme.code,
                    "first": programme.first_year,
                    "last": programme.last_year,
                }
        if not errors and self.year:
            twins = Plan.objects.filter(
                year=self.year,
                locality_id=self.locality_id,
                agency_id=self.agency_id,
                programme_id=self.programme_id,
            ).exclude(pk=self.pk)
            if twins.exists():
                errors["year"] = _("This unit already has a plan for this year and programme.")
        if errors:
            raise ValidationError(errors)


class FundingSource(models.TextChoices):
    CENTRAL = "central", _("Central budget")
    LOCAL = "local", _("Local budget")
    OTHER = "other", _("Other sources")


class PlanLine(BatchTraced):
    """One line of a plan: a course type, at home or abroad, the planned courses and
    participant-times (of one rank, or all ranks when empty), the planned budget of one
    funding source, and the planned quarter (0 = the whole year).

    Duplicate rule: one line per (plan, course type, home/abroad, rank, funding source,
    quarter); two lines with the same key would be added together by nobody's intent."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="lines"
    )
    course_type = models.ForeignKey(
        CourseType, verbose_name=_("course type"), on_delete=models.PROTECT, related_name="+"
    )
    abroad = models.BooleanField(_("abroad"), default=False)
    rank = models.ForeignKey(
        Rank,
        verbose_name=_("rank"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: all ranks."),
    )
    courses = models.PositiveIntegerField(
        _("planned courses"), default=0, validators=COUNT_VALIDATORS
    )
    participant_times = models.PositiveIntegerField(
        _("planned participant-times"), default=0, validators=COUNT_VALIDATORS
    )
    budget = models.PositiveBigIntegerField(_("planned budget (VND)"), default=0)
    funding_source = models.CharField(
        _("funding source"), max_length=8, choices=FundingSource.choices, blank=True
    )
    quarter = models.PositiveSmallIntegerField(
        _("planned quarter"),
        default=0,
        validators=[MaxValueValidator(4)],
        help_text=_("1-4; 0 = the whole year."),
    )

    objects = PlanLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan line")
        verbose_name_plural = _("plan lines")
        ordering = ["plan", "course_type__order", "abroad", "rank__order", "quarter"]
        constraints = [
            models.CheckConstraint(condition=Q(courses__gte=0), name="planline_courses_gte_0"),
            models.CheckConstraint(
                condition=Q(participant_times__gte=0), name="planline_times_gte_0"
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="planline_budget_gte_0"),
            models.CheckConstraint(
                condition=Q(quarter__gte=0, quarter__lte=4), name="planline_quarter_0_4"
            ),
            *unique_with_or_without(
                ["plan", "course_type", "abroad", "rank", "funding_source", "quarter"],
                "rank",
                name_with="planline_unique_with_rank",
                name_without="planline_unique_without_rank",
            ),
        ]

    def __str__(self):
        return f"{self.plan} · {self.course_type}"

    def clean(self):
        errors = {}
        if self.budget and not self.funding_source:
            errors["funding_source"] = _("Say which funding source the budget comes from.")
        if self.plan_id and self.course_type_id:
            twins = PlanLine.objects.filter(
                plan_id=self.plan_id,
                course_type_id=self.course_type_id,
                abroad=self.abroad,
                rank_id=self.rank_id,
                funding_source=self.funding_source,
                quarter=self.quarter,
            ).exclude(pk=self.pk)
            if twins.exists():
                errors["course_type"] = _(
                    "The plan already has a line for this course type, place, rank, funding "
                    "source and quarter."
                )
        if errors:
            raise ValidationError(errors)


class ReportingPeriod(UnitMixin):
    """A unit's year of data: open → submitted → approved (locked) or returned (back to
    open). Every transition is kept (PeriodTransition)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned")

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-year", "locality__code", "agency__name"]
        permissions = [
            ("submit_reportingperiod", _("Can submit a unit's year")),
            ("approve_reportingperiod", _("Can approve or return a unit's year")),
            ("reopen_reportingperiod", _("Can reopen an approved year")),
        ]
        constraints = [
            models.CheckConstraint(condition=UNIT_XOR, name="period_locality_xor_agency"),
            *unique_one_of(
                [ONE_OF, "year"],
                ["locality", "agency"],
                names=["period_unique_locality", "period_unique_agency"],
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "submitted", "approved", "returned"]),
                name="period_status_known",
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.year}"

    def clean(self):
        errors = self.unit_errors()
        if errors:
            raise ValidationError(errors)

    @property
    def is_locked(self):
        return self.status == self.Status.APPROVED


class PeriodTransition(models.Model):
    """One change of a period's status: who, when, why."""

    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("reporting period"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_status = models.CharField(_("from"), max_length=10, choices=ReportingPeriod.Status.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=ReportingPeriod.Status.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note or reason"), blank=True)

    objects = PeriodTransitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("period transition")
        verbose_name_plural = _("period transitions")
        ordering = ["period", "at", "id"]

    def __str__(self):
        return f"{self.period}: {self.from_status} → {self.to_status}"


class ReportingDeadline(models.Model):
    """When the units' data for a year (optionally of one programme) is due. Without a row,
    a year is due on 31 January of the next year (plans.periods.deadline_for)."""

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    due = models.DateField(_("due date"))

    class Meta:
        verbose_name = _("reporting deadline")
        verbose_name_plural = _("reporting deadlines")
        ordering = ["-year"]
        constraints = [
            *unique_with_or_without(
                ["year", "programme"],
                "programme",
                name_with="deadline_unique_programme",
                name_without="deadline_unique_year",
            ),
        ]

    def __str__(self):
        return f"{self.year}: {self.due:%d/%m/%Y}"

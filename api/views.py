"""The read-only API: programmes, their progress (the ``progress_report`` JSON for the
caller's scope), courses, participants and aggregated counts. Every list goes through the
scope helpers of accounts.scoping, as the pages do; personal data only with the permission."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import scoping
from accounts.audit import record_personal_data_access
from cadres.models import Cadre
from courses.models import Course, Enrolment, Programme
from reports.figures import Reference
from reports.report import ReportFilters, build_report

from .permissions import may_see_personal_data
from .serializers import (
    CourseSerializer,
    ParticipantSerializer,
    PersonalParticipantSerializer,
    ProgrammeSerializer,
)

FILTER_PARAMETERS = [
    OpenApiParameter("year_from", int, description="first year (a course's start date)"),
    OpenApiParameter("year_to", int, description="last year"),
    OpenApiParameter("rank", str, description="rank code"),
    OpenApiParameter("type", str, description="course type code"),
    OpenApiParameter("level", str, enum=["central", "local"]),
    OpenApiParameter("locality", str, description="current unit code, TW for central"),
    OpenApiParameter("as_of", OpenApiTypes.DATE, description="count courses started by then"),
]


def _filters(request, ref):
    """The report filters from the query string; a value not understood is a 400 naming it
    (the pages ignore it with a notice instead)."""
    filters = ReportFilters.from_query(request.query_params, ref)
    if filters.notices:
        raise ValidationError({"filters": [str(n) for n in filters.notices]})
    return filters


def _programme(code):
    return get_object_or_404(Programme.objects.prefetch_related("targets"), code=code)


class ProgrammeList(generics.ListAPIView):
    """Every programme with its period, legal basis and targets."""

    serializer_class = ProgrammeSerializer
    queryset = Programme.objects.prefetch_related("targets")
    pagination_class = None


class ProgrammeDetail(generics.RetrieveAPIView):
    serializer_class = ProgrammeSerializer
    queryset = Programme.objects.prefetch_related("targets")
    lookup_field = "code"


class ProgrammeProgress(APIView):
    """The ``progress_report`` JSON (docs/CONTRACT.md) for the caller's scope, as of today or
    ``as_of``: the same figures as ``manage.py progress_report`` and the programme page."""

    @extend_schema(
        parameters=[FILTER_PARAMETERS[-1]],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, code):
        programme = _programme(code)
        ref = Reference.load()
        raw = request.query_params.get("as_of", "")
        filters = ReportFilters.from_query({"as_of": raw} if raw else {}, ref)
        if filters.notices:
            raise ValidationError({"as_of": [str(n) for n in filters.notices]})
        report = build_report(programme, filters, ref, user=request.user)
        return Response(report.as_json())


COUNT_KEYS = {
    "year": "year",
    "rank": "rank",
    "locality": "unit",
    "type": "type",
    "abroad": "abroad",
}


class ProgrammeCounts(APIView):
    """Participant-times summed by one or more of year, rank, locality (current unit), type,
    abroad, in the caller's scope and the page's filters: ``?by=year&by=rank``."""

    @extend_schema(
        parameters=[
            OpenApiParameter("by", str, many=True, enum=list(COUNT_KEYS)),
            *FILTER_PARAMETERS,
        ],
        responses={
            200: inline_serializer(
                "Counts",
                {
                    "programme": serializers.CharField(),
                    "by": serializers.ListField(child=serializers.CharField()),
                    "total": serializers.IntegerField(),
                    "rows": serializers.ListField(child=serializers.DictField()),
                },
            )
        },
    )
    def get(self, request, code):
        programme = _programme(code)
        by = [key for value in request.query_params.getlist("by") for key in value.split(",")]
        by = [key.strip() for key in by if key.strip()] or ["year"]
        unknown = [key for key in by if key not in COUNT_KEYS]
        if unknown:
            raise ValidationError(
                {
                    "by": _("Unknown breakdown %(keys)s; use %(known)s.")
                    % {"keys": ", ".join(unknown), "known": ", ".join(COUNT_KEYS)}
                }
            )
        ref = Reference.load()
        report = build_report(programme, _filters(request, ref), ref, user=request.user)
        counts = report.data.breakdown(report.scope, *(COUNT_KEYS[key] for key in by))
        rows = [
            {**dict(zip(by, key, strict=True)), "participant_times": n}
            for key, n in sorted(counts.items(), key=lambda item: tuple(map(str, item[0])))
            if n
        ]
        return Response(
            {
                "programme": programme.code,
                "by": by,
                "as_of": report.as_of.isoformat(),
                "total": sum(counts.values()),
                "rows": rows,
            }
        )


class CourseList(generics.ListAPIView):
    """Courses in the caller's scope (as in the admin's course list), newest first;
    ``?programme=CODE`` and ``?year=YYYY`` narrow the list."""

    serializer_class = CourseSerializer

    @extend_schema(parameters=[OpenApiParameter("programme", str), OpenApiParameter("year", int)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = Course.objects.select_related("programme", "course_type", "locality", "organiser")
        params = self.request.query_params
        if params.get("programme"):
            qs = qs.filter(programme__code=params["programme"])
        year = params.get("year", "").strip()
        if year:
            if not (year.isdigit() and 1900 <= int(year) <= 2100):
                raise ValidationError({"year": _("A year such as 2020, not “%s”.") % year})
            qs = qs.filter(start_date__year=int(year))
        return scoping.courses(qs, self.request.user).order_by("-start_date", "code")


class CourseParticipants(generics.ListAPIView):
    """The named participants of a course that the caller's scope covers. ID numbers and
    birth dates only with the personal-data permission."""

    def get_serializer_class(self):
        if may_see_personal_data(self.request.user):
            return PersonalParticipantSerializer
        return ParticipantSerializer

    def get_serializer(self, *args, **kwargs):
        if args and may_see_personal_data(self.request.user):  # who saw personal data
            ids = [enrolment.cadre_id for enrolment in args[0]]
            record_personal_data_access(self.request, Cadre, ids, "api")
        return super().get_serializer(*args, **kwargs)

    def get_queryset(self):
        user = self.request.user
        course = Course.objects.filter(code=self.kwargs["code"]).first()
        if course is None:
            raise NotFound()
        enrolments = scoping.enrolments(
            Enrolment.objects.filter(course=course).select_related(
                "cadre", "rank", "agency", "locality"
            ),
            user,
        )
        in_scope = scoping.courses(Course.objects.filter(pk=course.pk), user).exists()
        if not in_scope and not enrolments.exists():
            raise NotFound()  # a course outside the scope is not confirmed to exist
        return enrolments.order_by("cadre__name_key", "pk")


class Status(APIView):
    """Who the token belongs to and what scope the figures are limited to."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        scope = scoping.scope_of(request.user)
        return Response(
            {
                "user": request.user.get_username(),
                "scope": scope.kind,
                "scope_label": scope.label or None,
                "personal_data": may_see_personal_data(request.user),
                "time": timezone.now().isoformat(),
            }
        )

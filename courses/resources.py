"""Export resources of courses, enrolments and tallies: their columns are the sheet
contract's (imports.contract), so that an exported file imports again as "unchanged"."""

from cadres.resources import ExportResource, agency_value, contract_resource  # noqa: F401

from .models import Course, Enrolment, ParticipantTally

CourseExportResource = contract_resource(
    "CourseExportResource",
    "courses",
    Course,
    ("programme", "course_type", "organiser", "locality"),
    module=__name__,
)
# One enrolment a row; rank, agency and locality as they were at the course.
EnrolmentExportResource = contract_resource(
    "EnrolmentExportResource",
    "participants",
    Enrolment,
    ("course", "cadre", "rank", "agency", "locality"),
    module=__name__,
)
ParticipantTallyExportResource = contract_resource(
    "ParticipantTallyExportResource",
    "tallies",
    ParticipantTally,
    ("course", "rank", "locality"),
    module=__name__,
)

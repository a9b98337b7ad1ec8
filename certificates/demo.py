"""Demo certificates: the few most recent finished courses with a named list get their
certificates, so that a new user sees some after `make run`. Idempotent; changes no figure
of the seed (certificates are a table of their own)."""

import datetime

from django.db import transaction

from cadres.models import Agency
from courses.models import Course, Enrolment

from .models import Certificate, NumberingPattern
from .services import issue_for_course

DEMO_COURSES = 3
SIGNERS = {
    "HVNG": ("HVNG", "Phạm Lan Dung", "Giám đốc Học viện Ngoại giao"),
    "BNG": ("BNG", "Lê Thị Thu Hằng", "Thứ trưởng Bộ Ngoại giao"),
}


def recent_courses(count=DEMO_COURSES):
    """The most recent finished courses with completed participants (the same every run)."""
    completed = Enrolment.objects.filter(status=Enrolment.Status.COMPLETED)
    return list(
        Course.objects.filter(status=Course.Status.FINISHED, enrolments__in=completed)
        .distinct()
        .order_by("-start_date", "code")[:count]
    )


@transaction.atomic
def load():
    """Numbering patterns of the Academy and the Ministry, and the certificates of the
    recent demo courses; returns how many certificates were created."""
    for code, (prefix, name, title) in SIGNERS.items():
        agency = Agency.objects.filter(code=code).first()
        if (
            agency
            and not NumberingPattern.objects.filter(agency=agency).exists()
            and not NumberingPattern.objects.filter(prefix=prefix).exists()
        ):
            NumberingPattern.objects.create(
                agency=agency, prefix=prefix, signer_name=name, signer_title=title
            )
    before = Certificate.objects.count()
    for course in recent_courses():
        issued_on = (course.end_date or course.start_date) + datetime.timedelta(days=3)
        issue_for_course(course, None, issued_on=issued_on)
    return Certificate.objects.count() - before

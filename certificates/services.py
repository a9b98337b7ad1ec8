"""Issuing, replacing and revoking certificates. The admin action, the issue_certificates
command (and later a background task) all call issue_for_course()."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import scoping
from courses.models import Course, Enrolment

from .models import Certificate, NumberCounter, NumberingPattern

DEFAULT_PREFIX = "CC"

NOT_COMPLETED = {
    Enrolment.Status.WITHDRAWN: _("withdrew from the course"),
    Enrolment.Status.REGISTERED: _("registered but did not attend"),
    Enrolment.Status.ATTENDED: _("attendance not complete (attended, not completed)"),
}


class CertificateError(ValidationError):
    """A certificate that cannot be issued, replaced or revoked: the message says why."""


@dataclass
class NotEligible:
    enrolment: Enrolment
    reason: str

    @property
    def holder(self):
        return self.enrolment.cadre.full_name


@dataclass
class IssueOutcome:
    """What issuing a course did: new certificates, those that existed, who was refused."""

    course: Course
    issued: list = field(default_factory=list)
    already: list = field(default_factory=list)
    not_eligible: list = field(default_factory=list)


def course_records_scores(course):
    return course.enrolments.exclude(score=None).exists()


def course_refusal(course):
    """A reason that holds for the whole course, or None."""
    if course.status in (Course.Status.PLANNED, Course.Status.CANCELLED):
        return _("the course is %(status)s") % {"status": course.get_status_display().lower()}
    return None


def _number(value):
    return f"{Decimal(value).normalize():f}"


def ineligibility(enrolment, *, records_scores, course_reason=None):
    """Why this enrolment may not have a certificate, or None when it may."""
    if course_reason:
        return course_reason
    if enrolment.status != Enrolment.Status.COMPLETED:
        return NOT_COMPLETED.get(enrolment.status, _("not completed"))
    if records_scores:
        pass_mark = enrolment.course.pass_mark
        if enrolment.score is None:
            return _("no score recorded (the course records scores)")
        if enrolment.score < pass_mark:
            return _("score %(score)s below the pass mark %(pass_mark)s") % {
                "score": _number(enrolment.score),
                "pass_mark": _number(pass_mark),
            }
    return None


def numbering_for(agency):
    """(prefix, digits, signer name, signer title) of an organiser."""
    if agency is not None:
        pattern = NumberingPattern.objects.filter(agency=agency).first()
        if pattern is not None:
            return pattern.prefix, pattern.digits, pattern.signer_name, pattern.signer_title
        prefix = "".join(ch for ch in (agency.code or "").upper() if ch.isalnum())
        return prefix or f"DV{agency.pk}", 6, "", ""
    return DEFAULT_PREFIX, 6, "", ""


def allocate_number(prefix, digits, year):
    """The next number of a prefix and year. Call inside a transaction: the counter row stays
    locked until it ends, so concurrent issuers wait for each other instead of colliding."""
    counters = NumberCounter.objects.select_for_update()
    counter = counters.filter(prefix=prefix, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                counter = NumberCounter.objects.create(prefix=prefix, year=year, last=0)
        except IntegrityError:  # another issuer created it meanwhile
            counter = counters.get(prefix=prefix, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}/{year}/{counter.last:0{digits}d}"


def _new_certificate(enrolment, *, user, issued_on, signer_name, signer_title, replaces=None):
    course = enrolment.course
    prefix, digits, default_name, default_title = numbering_for(course.organiser)
    for _attempt in range(3):
        number = allocate_number(prefix, digits, issued_on.year)
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    number=number,
                    enrolment=enrolment,
                    issued_on=issued_on,
                    issuer=course.organiser,
                    issuer_name=course.organiser.name if course.organiser else "",
                    holder_name=enrolment.cadre.full_name,
                    course_title=course.title,
                    signer_name=signer_name or default_name,
                    signer_title=signer_title or default_title,
                    replaces=replaces,
                    issued_by=user if getattr(user, "pk", None) else None,
                )
        except IntegrityError:
            if Certificate.objects.current().filter(enrolment=enrolment).exists():
                raise
            # The number was taken by a certificate written outside the counter (by hand):
            # take the next one.
    raise CertificateError(_("No free certificate number could be allocated."))


def issue_certificate(enrolment, *, user=None, issued_on=None, signer_name="", signer_title=""):
    """Issue the certificate of one enrolment, or raise CertificateError saying why not."""
    course = enrolment.course
    reason = ineligibility(
        enrolment,
        records_scores=course_records_scores(course),
        course_reason=course_refusal(course),
    )
    if reason:
        raise CertificateError(reason)
    existing = Certificate.objects.current().filter(enrolment=enrolment).first()
    if existing:
        raise CertificateError(
            _("A certificate was already issued for this enrolment (%(number)s).")
            % {"number": existing.number}
        )
    try:
        with transaction.atomic():
            return _new_certificate(
                enrolment,
                user=user,
                issued_on=issued_on or timezone.localdate(),
                signer_name=signer_name,
                signer_title=signer_title,
            )
    except IntegrityError:
        raise CertificateError(_("A certificate was already issued for this enrolment.")) from None


def issue_for_course(
    course, user=None, *, issued_on=None, signer_name="", signer_title="", progress=None
):
    """Issue every certificate the course owes, within the user's scope (no user: all).

    Returns an IssueOutcome: the certificates issued now, those issued before, and each
    participant not eligible with the reason. Each certificate is written in its own
    transaction, so a long run interrupted half way keeps what it issued and a second run
    issues the rest. ``progress(done, total)`` is called after each participant (for a
    background task's progress bar).
    """
    issued_on = issued_on or timezone.localdate()
    enrolments = list(
        scoping.enrolments(Enrolment.objects.filter(course=course), user)
        .select_related("cadre", "course__organiser")
        .order_by("cadre__name_key", "pk")
    )
    outcome = IssueOutcome(course=course)
    records_scores = any(e.score is not None for e in enrolments) or course_records_scores(course)
    course_reason = course_refusal(course)
    existing = {
        c.enrolment_id: c for c in Certificate.objects.current().filter(enrolment__in=enrolments)
    }
    total = len(enrolments)
    for done, enrolment in enumerate(enrolments, start=1):
        if enrolment.pk in existing:
            outcome.already.append(existing[enrolment.pk])
        else:
            reason = ineligibility(
                enrolment, records_scores=records_scores, course_reason=course_reason
            )
            if reason:
                outcome.not_eligible.append(NotEligible(enrolment, str(reason)))
            else:
                try:
                    with transaction.atomic():
                        outcome.issued.append(
                            _new_certificate(
                                enrolment,
                                user=user,
                                issued_on=issued_on,
                                signer_name=signer_name,
                                signer_title=signer_title,
                            )
                        )
                except IntegrityError:  # issued meanwhile by someone else
                    outcome.already.append(Certificate.objects.current().get(enrolment=enrolment))
        if progress is not None:
            progress(done, total)
    return outcome


def replace_certificate(certificate, *, user=None, issued_on=None):
    """A replacement for a lost or damaged certificate: a new number and code, marked as a
    replacement of the original, which from now on reads "replaced"."""
    with transaction.atomic():
        original = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if original.status != Certificate.Status.VALID:
            raise CertificateError(
                _("Only a valid certificate can be replaced; %(number)s is %(status)s.")
                % {"number": original.number, "status": original.get_status_display().lower()}
            )
        original.status = Certificate.Status.REPLACED
        original.save(update_fields=["status"])
        enrolment = Enrolment.objects.select_related("cadre", "course__organiser").get(
            pk=original.enrolment_id
        )
        replacement = _new_certificate(
            enrolment,
            user=user,
            issued_on=issued_on or timezone.localdate(),
            signer_name=original.signer_name,
            signer_title=original.signer_title,
            replaces=original,
        )
        # Printed as on the original: the holder's name and the course title as they were.
        replacement.holder_name = original.holder_name
        replacement.course_title = original.course_title
        replacement.save(update_fields=["holder_name", "course_title"])
        return replacement


def revoke_certificate(certificate, *, reason, user=None, revoked_on=None):
    """Revoke a valid certificate; the verification page then says so, with the date."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("Give the reason for revoking the certificate."))
    with transaction.atomic():
        current = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if current.status != Certificate.Status.VALID:
            raise CertificateError(
                _("Only a valid certificate can be revoked; %(number)s is %(status)s.")
                % {"number": current.number, "status": current.get_status_display().lower()}
            )
        current.status = Certificate.Status.REVOKED
        current.revoked_on = revoked_on or timezone.localdate()
        current.revocation_reason = reason
        current.save(update_fields=["status", "revoked_on", "revocation_reason"])
        return current


def certificates_for(user, queryset=None):
    """Kept for callers of other branches: ``Certificate.objects.visible_to(user)`` (the
    enrolment's scope rule, CertificateQuerySet.scope_condition) is the one way."""
    return (Certificate.objects.all() if queryset is None else queryset).visible_to(user)

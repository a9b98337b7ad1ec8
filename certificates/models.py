"""Certificates (giấy chứng nhận) issued for completed enrolments, and how they are numbered."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cadres.models import Agency
from courses.models import Enrolment
from trainingmgr.visibility import ScopedQuerySet, prefixed

# No 0/O, 1/I/L: a code read from paper and typed by hand is not misread.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 31**12 ≈ 7.9e17: not guessable, and the page is rate-limited


def new_verification_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text):
    """A code as typed: case, spaces and dashes do not matter."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


class NumberingPatternQuerySet(ScopedQuerySet):
    def scope_condition(self, scope, user):
        """The patterns of the organisers in scope: Agency's own rule, through the FK."""
        condition = Agency.objects.all().scope_condition(scope, user)
        return None if condition is None else prefixed(condition, "agency__")


class NumberingPattern(models.Model):
    """How an organiser numbers its certificates: ``PREFIX/YEAR/000123``, one sequence a year.

    The signer given here is printed on the certificates the organiser issues, unless the
    person issuing names another one."""

    agency = models.OneToOneField(
        Agency,
        verbose_name=_("organiser"),
        on_delete=models.CASCADE,
        related_name="certificate_numbering",
    )
    prefix = models.CharField(
        _("prefix"),
        max_length=20,
        unique=True,
        help_text=_("Letters and digits, e.g. HVNG: numbers read HVNG/2026/000123."),
    )
    digits = models.PositiveSmallIntegerField(_("digits of the sequence"), default=6)
    signer_name = models.CharField(_("signer's name"), max_length=150, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)

    objects = NumberingPatternQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate numbering pattern")
        verbose_name_plural = _("certificate numbering patterns")
        ordering = ["prefix"]
        constraints = [
            models.CheckConstraint(
                condition=Q(digits__gte=3, digits__lte=10), name="numbering_digits_3_10"
            ),
        ]

    def __str__(self):
        return f"{self.prefix} · {self.agency}"

    def format(self, year, sequence):
        return f"{self.prefix}/{year}/{sequence:0{self.digits}d}"


class NumberCounter(models.Model):
    """The last sequence number used for a prefix and year. Issuing locks this row
    (select_for_update), so two clerks issuing at once never get the same number; the
    unique certificate number is the second line of defence."""

    prefix = models.CharField(_("prefix"), max_length=20)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number used"), default=0)

    class Meta:
        verbose_name = _("certificate number counter")
        verbose_name_plural = _("certificate number counters")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="numbercounter_unique"),
        ]

    def __str__(self):
        return f"{self.prefix}/{self.year}: {self.last}"


class CertificateQuerySet(ScopedQuerySet):
    def scope_condition(self, scope, user):
        """The certificates of the enrolments in scope: Enrolment's own rule, through the FK."""
        condition = Enrolment.objects.all().scope_condition(scope, user)
        return None if condition is None else prefixed(condition, "enrolment__")

    def current(self):
        """The certificates that stand for their enrolment (valid or revoked, not replaced)."""
        return self.exclude(status=Certificate.Status.REPLACED)


class Certificate(models.Model):
    """A certificate for one enrolment. The holder's name and the course title are kept as
    printed; a lost one is replaced by a new certificate pointing to it (the original then
    reads "replaced"); a revoked one stays, marked revoked, with the reason."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REPLACED = "replaced", _("Replaced")
        REVOKED = "revoked", _("Revoked")

    number = models.CharField(_("number"), max_length=60, unique=True)
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.VALID
    )
    verification_code = models.CharField(
        _("verification code"),
        max_length=CODE_LENGTH,
        unique=True,
        default=new_verification_code,
        editable=False,
    )
    issued_on = models.DateField(_("issue date"))
    issuer = models.ForeignKey(
        Agency,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates_issued",
    )
    issuer_name = models.CharField(_("issuing organisation"), max_length=255)
    holder_name = models.CharField(_("holder"), max_length=150)
    course_title = models.CharField(_("course"), max_length=500)
    signer_name = models.CharField(_("signer's name"), max_length=150, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replacements",
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by (user)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "number"]
        constraints = [
            # Issued once: one certificate per enrolment that is not a replaced one.
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=~Q(status="replaced"),
                name="certificate_one_current_per_enrolment",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["valid", "replaced", "revoked"]),
                name="certificate_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | Q(revoked_on__isnull=False),
                name="certificate_revoked_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.number} · {self.holder_name}"

    @property
    def is_replacement(self):
        return self.replaces_id is not None

    @property
    def display_code(self):
        """The code in groups of four, as printed: ABCD-EFGH-JKLM."""
        code = self.verification_code
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))

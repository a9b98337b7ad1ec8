"""Who may see what: a user's scope (national, one locality or one agency)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AccessScope(models.Model):
    """The part of the data a clerk or manager works on.

    Users without a scope row, and superusers, are national. A locality scope covers the
    current unit and the former provinces that merged into it; an agency scope covers one
    agency's people and the courses it organises.
    """

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National")
        LOCALITY = "locality", _("One locality")
        AGENCY = "agency", _("One agency")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="access_scope",
    )
    kind = models.CharField(_("scope"), max_length=10, choices=Kind.choices, default=Kind.NATIONAL)
    locality = models.ForeignKey(
        "cadres.Locality",
        verbose_name=_("locality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"era": "current"},
        related_name="+",
    )
    agency = models.ForeignKey(
        "cadres.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("access scope")
        verbose_name_plural = _("access scopes")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="national", locality__isnull=True, agency__isnull=True)
                | Q(kind="locality", locality__isnull=False, agency__isnull=True)
                | Q(kind="agency", locality__isnull=True, agency__isnull=False),
                name="accessscope_kind_matches_target",
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.LOCALITY:
            return str(self.locality)
        if self.kind == self.Kind.AGENCY:
            return str(self.agency)
        return str(self.Kind.NATIONAL.label)

    def clean(self):
        if self.kind == self.Kind.LOCALITY and not self.locality_id:
            raise ValidationError({"locality": _("Choose the locality of this scope.")})
        if self.kind == self.Kind.AGENCY and not self.agency_id:
            raise ValidationError({"agency": _("Choose the agency of this scope.")})
        if self.kind != self.Kind.LOCALITY:
            self.locality = None
        if self.kind != self.Kind.AGENCY:
            self.agency = None
        if self.locality_id and self.locality.era != self.locality.Era.CURRENT:
            raise ValidationError({"locality": _("A scope names a current locality.")})


class PersonalDataAccess(models.Model):
    """One display or export of unmasked personal data (ID numbers, birth dates): who, when,
    which records (or how many), through what, and from which address. Written by
    accounts.audit.record_personal_data_access(); kept PERSONAL_DATA_LOG_DAYS days
    (purge_personal_data_log); read by administrators only, never changed."""

    class Channel(models.TextChoices):
        PAGE = "page", _("Page")
        EXPORT = "export", _("Export")
        API = "api", _("API")
        DOCUMENT = "document", _("Document")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    # The user's id as a plain number, not a foreign key: on SQLite the log lives in the
    # logins file (trainingmgr/routers.py), the users in the main one, and no constraint can
    # cross files. The name below stays as it was when the entry was written.
    user_id = models.IntegerField(_("user id"), null=True, blank=True, db_index=True)
    username = models.CharField(_("user name"), max_length=150)
    model = models.CharField(_("records of"), max_length=100)
    object_ids = models.JSONField(_("record ids"), default=list, blank=True)
    count = models.PositiveIntegerField(_("number of records"), default=0)
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)
    path = models.CharField(_("address in the app"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.username} {self.get_channel_display()} {self.model} ({self.count})"

    @property
    def user(self):
        """The user who saw the data (read from the main database), or None when there was
        none or the account has been deleted since; ``username`` is kept in either case."""
        if self.user_id is None:
            return None
        from django.contrib.auth import get_user_model

        return get_user_model()._default_manager.filter(pk=self.user_id).first()

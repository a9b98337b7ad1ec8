"""Who may see what: a user's scope (national, one locality or one agency)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cadres.models import Agency, Locality


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
        if self.locality_id and self.locality.era != Locality.Era.CURRENT:
            raise ValidationError({"locality": _("A scope names a current locality.")})

"""People and the reference data they are described with: localities, ranks, agencies."""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from provenance.models import BatchTraced
from trainingmgr.constraints import COUNT_VALIDATORS, ONE_OF, unique_one_of
from trainingmgr.text import clean_spaces, fold, fold_locality
from trainingmgr.visibility import ScopedQuerySet, prefixed

# The day the 63 provinces became 34 (Resolution 202/2025/QH15).
MERGER_DATE = "2025-07-01"


class Level(models.TextChoices):
    CENTRAL = "central", _("Central")
    LOCAL = "local", _("Local")


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


def alias_keys(*texts, folder=fold):
    """Folded keys of a name plus its one-per-line aliases."""
    keys = []
    for text in texts:
        for line in (text or "").splitlines():
            key = folder(line)
            if key and key not in keys:
                keys.append(key)
    return keys


class LocalityQuerySet(models.QuerySet):
    def current(self):
        return self.filter(era=Locality.Era.CURRENT)

    def former(self):
        return self.filter(era=Locality.Era.FORMER)

    # The roll-up, once: a former province counts for its successor, a current unit for
    # itself. In Python (unit_map, unit_ids), in SQL (Locality.unit_of, Locality.in_unit).
    def unit_map(self):
        """{locality id: id of the current unit it counts for}, in one query."""
        return {pk: successor or pk for pk, successor in self.values_list("pk", "successor_id")}

    def unit_ids(self, unit_id):
        """The ids counted for one current unit: itself and the former provinces merged into
        it (one query)."""
        return {unit_id, *self.filter(successor_id=unit_id).values_list("pk", flat=True)}


class Locality(models.Model):
    """A provincial unit, current (34 since 1-7-2025) or former (63), or central level (TW).

    Former codes collide with current ones (old 15 is Yên Bái, new 15 is Lào Cai), so the era
    is part of a locality's identity. A former province points to its successor.
    """

    class Era(models.TextChoices):
        CURRENT = "current", _("Current (since 1-7-2025)")
        FORMER = "former", _("Former (before 1-7-2025)")

    CENTRAL_CODE = "TW"

    code = models.CharField(_("code"), max_length=8)
    era = models.CharField(_("era"), max_length=8, choices=Era.choices, default=Era.CURRENT)
    name = models.CharField(_("name"), max_length=100)
    division_type = models.CharField(_("division type"), max_length=40, blank=True)
    aliases = models.TextField(
        _("aliases"), blank=True, help_text=_("Other spellings, one per line.")
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        limit_choices_to={"era": "current"},
    )

    objects = LocalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("locality")
        verbose_name_plural = _("localities")
        ordering = ["era", "code"]
        constraints = [
            models.UniqueConstraint(fields=["era", "code"], name="locality_unique_era_code"),
            models.CheckConstraint(
                condition=Q(era="current", successor__isnull=True)
                | Q(era="former", successor__isnull=False),
                name="locality_former_has_successor",
            ),
        ]

    def __str__(self):
        if self.era == self.Era.FORMER:
            return _("%(name)s (former)") % {"name": self.name}
        return self.name

    @property
    def is_central(self):
        return self.code == self.CENTRAL_CODE

    @property
    def current_unit(self):
        """Where this locality's records are counted today."""
        return self.successor if self.era == self.Era.FORMER else self

    @property
    def unit_id(self):
        """The id of the current unit this locality counts for."""
        return self.successor_id or self.pk

    @staticmethod
    def unit_of(path="locality"):
        """The current unit of the locality at ``path``, as an SQL expression (its id)."""
        return Coalesce(f"{path}__successor_id", f"{path}_id")

    @staticmethod
    def in_unit(path, unit_id):
        """Rows whose locality at ``path`` counts for the current unit ``unit_id``."""
        return Q(**{f"{path}_id": unit_id}) | Q(**{f"{path}__successor_id": unit_id})

    def match_keys(self):
        return alias_keys(self.name, self.aliases, self.code, folder=fold_locality)

    def clean(self):
        if self.successor_id and self.successor.era != self.Era.CURRENT:
            raise ValidationError({"successor": _("A successor must be a current locality.")})


class Rank(models.Model):
    """A position group (cấp), ordered from the top; aliases let sheets name it freely."""

    LEADERSHIP = "LANH_DAO_BO_TINH"
    DIRECTOR = "VU_TRUONG"
    DEPUTY_DIRECTOR = "PHO_VU_TRUONG"
    DIVISION = "CAP_PHONG"
    OFFICER = "CHUYEN_VIEN"
    OTHER = "KHAC"

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=150)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_leader = models.BooleanField(
        _("leader"), default=False, help_text=_("Counts as a leader in leadership targets.")
    )
    aliases = models.TextField(
        _("aliases"),
        blank=True,
        help_text=_("Position titles that mean this rank, one per line."),
    )

    class Meta:
        verbose_name = _("rank")
        verbose_name_plural = _("ranks")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name

    def match_keys(self):
        return alias_keys(self.code, self.name, self.aliases)


def placed_condition(scope, locality="locality", agency="agency"):
    """The scope rule of a row placed by a locality and an agency (a cadre, a baseline): of a
    locality in scope or of an agency there; for an agency scope, of that agency."""
    if scope.kind == "locality":
        return Q(**{f"{locality}_id__in": scope.locality_ids}) | Q(
            **{f"{agency}__locality_id__in": scope.locality_ids}
        )
    if scope.kind == "agency":
        return Q(**{f"{agency}_id": scope.agency_id})
    return None


class AgencyQuerySet(ScopedQuerySet):
    def scope_condition(self, scope, user):
        """The agencies of a locality in scope; for an agency scope, that agency."""
        if scope.kind == "locality":
            return Q(locality_id__in=scope.locality_ids)
        if scope.kind == "agency":
            return Q(pk=scope.agency_id)
        return None


class Agency(models.Model):
    """A ministry, sector or provincial body whose staff are trained."""

    code = models.CharField(_("code"), max_length=32, blank=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    locality = models.ForeignKey(
        Locality, verbose_name=_("locality"), on_delete=models.PROTECT, related_name="agencies"
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="agency_unique_code_when_given"
            ),
            models.UniqueConstraint(fields=["name", "locality"], name="agency_unique_name"),
        ]

    def __str__(self):
        return self.short_name or self.name

    def match_keys(self):
        return alias_keys(self.name, self.short_name, self.code)


class CadreQuerySet(ScopedQuerySet):
    def scope_condition(self, scope, user):
        return placed_condition(scope)

    def search_name(self, text):
        return self.filter(name_key__contains=fold(text))


class Cadre(BatchTraced):
    """A person who is trained. Personal data: birth date and ID number are restricted."""

    full_name = models.CharField(_("full name"), max_length=150)
    name_key = models.CharField(_("folded name"), max_length=150, editable=False, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text=_("Filled from the birth date; alone when only the year is known."),
    )
    id_number = models.CharField(
        _("personal ID number"), max_length=20, blank=True, help_text=_("CCCD, 12 digits.")
    )
    email = models.EmailField(_("email"), blank=True)
    position = models.CharField(_("position title"), max_length=255, blank=True)
    rank = models.ForeignKey(
        Rank, verbose_name=_("rank"), on_delete=models.PROTECT, related_name="cadres"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cadres",
    )
    locality = models.ForeignKey(
        Locality,
        verbose_name=_("locality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cadres",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CadreQuerySet.as_manager()

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["name_key", "id"]
        permissions = [
            ("view_personal_data", _("Can see ID numbers and birth dates")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~Q(id_number=""),
                name="cadre_unique_id_number_when_given",
            ),
            models.CheckConstraint(condition=~Q(full_name=""), name="cadre_full_name_not_empty"),
        ]
        indexes = [models.Index(fields=["email"], name="cadre_email_idx")]

    def __str__(self):
        return self.full_name

    def clean(self):
        self.full_name = clean_spaces(self.full_name)
        self.id_number = (self.id_number or "").strip()
        if self.id_number and not (self.id_number.isascii() and self.id_number.isdigit()):
            raise ValidationError({"id_number": _("An ID number has digits only.")})
        if self.birth_date and self.birth_year and self.birth_date.year != self.birth_year:
            raise ValidationError({"birth_year": _("The birth year differs from the birth date.")})

    def normalised_values(self):
        """The one normalisation of a cadre's values, for save() and every bulk writer
        (imports): name with spaces collapsed (NFC) and its folded key, email lower-cased,
        birth year from the birth date. Returns the cadre."""
        self.full_name = clean_spaces(self.full_name)
        self.name_key = fold(self.full_name)
        self.email = (self.email or "").strip().lower()
        if self.birth_date:
            self.birth_year = self.birth_date.year
        return self

    def save(self, *args, **kwargs):
        self.normalised_values()
        super().save(*args, **kwargs)


class NotDuplicate(models.Model):
    """Two cadres that look alike (same name and birth date, or same email) but that someone
    checked are different people: the duplicate review no longer lists them.

    Stored once per pair, the lower id first. Also carries the permission to merge cadres.
    """

    cadre_a = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="+"
    )
    cadre_b = models.ForeignKey(
        Cadre, verbose_name=_("other cadre"), on_delete=models.CASCADE, related_name="+"
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pair marked as different people")
        verbose_name_plural = _("pairs marked as different people")
        ordering = ["-marked_at"]
        permissions = [("merge_cadre", _("Can merge duplicate cadres"))]
        constraints = [
            models.UniqueConstraint(fields=["cadre_a", "cadre_b"], name="notduplicate_unique"),
            models.CheckConstraint(
                condition=Q(cadre_a__lt=models.F("cadre_b")), name="notduplicate_ordered_pair"
            ),
        ]

    def __str__(self):
        return f"{self.cadre_a} ≠ {self.cadre_b}"

    @classmethod
    def mark(cls, first, second, user=None):
        """Remember that two cadres are different people (idempotent)."""
        low, high = sorted([first, second], key=lambda cadre: cadre.pk)
        pair, _created = cls.objects.get_or_create(
            cadre_a=low, cadre_b=high, defaults={"marked_by": user}
        )
        return pair


# A row placed by a unit (a workforce baseline, a plan, a reporting period) names a locality or
# an agency, exactly one: the check constraint of each such model.
ONE_UNIT = Q(locality__isnull=False, agency__isnull=True) | Q(
    locality__isnull=True, agency__isnull=False
)


class PlacedByUnit(models.Model):
    """The rule of a row placed by a unit, a locality or an agency, exactly one (ONE_UNIT):
    its unit and the error of a row that names both or neither. The two foreign keys are
    the model's own (their related names and choices differ)."""

    class Meta:
        abstract = True

    @property
    def unit(self):
        return self.locality if self.locality_id else self.agency

    @property
    def unit_key(self):
        return ("locality", self.locality_id) if self.locality_id else ("agency", self.agency_id)

    def unit_errors(self, field=NON_FIELD_ERRORS):
        """{field: message} of the unit rule, empty when it holds (on the form as a whole
        unless ``field`` is given)."""
        if bool(self.locality_id) == bool(self.agency_id):
            return {field: _("Give either a locality or an agency, not both.")}
        return {}


class LanguageSkillQuerySet(ScopedQuerySet):
    def scope_condition(self, scope, user):
        """The language skills of the cadres in scope."""
        condition = placed_condition(scope)
        return None if condition is None else prefixed(condition, "cadre__")


class WorkforceBaselineQuerySet(ScopedQuerySet):
    def scope_condition(self, scope, user):
        """A baseline belongs to a locality or an agency the way a cadre does."""
        return placed_condition(scope)


class LanguageSkill(models.Model):
    """A foreign language a cadre has, at a level of the national 6-level framework."""

    class Level(models.IntegerChoices):
        A1 = 1, _("Level 1 (A1)")
        A2 = 2, _("Level 2 (A2)")
        B1 = 3, _("Level 3 (B1)")
        B2 = 4, _("Level 4 (B2)")
        C1 = 5, _("Level 5 (C1)")
        C2 = 6, _("Level 6 (C2)")

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="languages"
    )
    language = models.CharField(
        _("language"), max_length=8, help_text=_("ISO 639-1 code: en, fr, zh, ...")
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)

    objects = LanguageSkillQuerySet.as_manager()

    class Meta:
        verbose_name = _("language skill")
        verbose_name_plural = _("language skills")
        ordering = ["cadre", "language"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "language"], name="languageskill_unique"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=6), name="languageskill_level_1_6"
            ),
        ]

    def __str__(self):
        return f"{self.language} {self.get_level_display()}"

    def save(self, *args, **kwargs):
        self.language = (self.language or "").strip().lower()
        super().save(*args, **kwargs)


class WorkforceBaseline(PlacedByUnit, BatchTraced):
    """How many integration staff a locality or an agency has, by rank and year.

    The denominator of every coverage target.
    """

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    rank = models.ForeignKey(
        Rank, verbose_name=_("rank"), on_delete=models.PROTECT, related_name="baselines"
    )
    locality = models.ForeignKey(
        Locality,
        verbose_name=_("locality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="baselines",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="baselines",
    )
    headcount = models.PositiveIntegerField(_("headcount"), validators=COUNT_VALIDATORS)

    objects = WorkforceBaselineQuerySet.as_manager()

    class Meta:
        verbose_name = _("workforce baseline")
        verbose_name_plural = _("workforce baselines")
        ordering = ["-year", "rank__order", "locality__code"]
        constraints = [
            models.CheckConstraint(condition=ONE_UNIT, name="baseline_locality_xor_agency"),
            models.CheckConstraint(condition=Q(headcount__gte=0), name="baseline_headcount_gte_0"),
            *unique_one_of(
                ["year", "rank", ONE_OF],
                ["locality", "agency"],
                names=["baseline_unique_locality", "baseline_unique_agency"],
            ),
        ]

    def __str__(self):
        return f"{self.year} · {self.rank} · {self.locality or self.agency}: {self.headcount}"

    def clean(self):
        errors = self.unit_errors()
        if errors:
            raise ValidationError(errors)

"""Finding reference data from what a sheet writes: codes, names and aliases, folded.

Every table is read once per import into dicts keyed by trainingmgr.text.fold (or
fold_locality), so matching a row costs dict look-ups, not queries.
"""

import datetime
import functools
import re
import unicodedata
from collections import defaultdict

from django.utils.translation import gettext as _

from cadres.models import MERGER_DATE, Agency, Level, Locality, Rank
from courses.models import Course, CourseType, Programme
from trainingmgr.text import fold, fold_locality

from .values import BadValue, text

MERGER = datetime.date.fromisoformat(MERGER_DATE)
# "Hà Giang (cũ)", "Tuyên Quang (mới)": a locality with its era written (imports.contract).
_ERA_MARK = re.compile(r"\s*\(\s*(cũ|cu|former|mới|moi|current)\s*\)\s*$", re.IGNORECASE)


def memo(method):
    """Remember a look-up's answer (or its error) per cell value: sheets repeat the same
    course, province, rank and agency on thousands of rows."""

    @functools.wraps(method)
    def wrapper(self, *args):
        try:
            answer = self._memo[method.__name__, *args]
        except KeyError:
            try:
                answer = method(self, *args)
            except BadValue as exc:
                answer = exc
            self._memo[method.__name__, *args] = answer
        if isinstance(answer, BadValue):
            raise answer.with_traceback(None)
        return answer

    return wrapper


def _index(objects, keys_of):
    table = defaultdict(list)
    for obj in objects:
        for key in keys_of(obj):
            if obj not in table[key]:
                table[key].append(obj)
    return dict(table)


def _one(candidates, raw, what):
    """The single candidate, or an error that names them all."""
    if len(candidates) == 1:
        return candidates[0]
    names = "; ".join(_describe(c) for c in candidates)
    raise BadValue(
        _("'%(value)s' is ambiguous: it could be the %(what)s %(names)s.")
        % {"value": text(raw), "what": what, "names": names}
    )


def _describe(obj):
    code = getattr(obj, "code", "")
    return f"{code} ({obj})" if code else str(obj)


class Lookups:
    """Reference data of one import, prefetched."""

    def __init__(self):
        localities = list(Locality.objects.all())
        self.localities = {loc.pk: loc for loc in localities}
        self.current_unit = {loc.pk: loc.unit_id for loc in localities}

        def locality_keys(loc):
            keys = loc.match_keys()
            if loc.code.isdigit():
                keys.append(str(int(loc.code)))  # a sheet's number cell drops the leading 0
            return keys

        self.current_localities = _index(
            [loc for loc in localities if loc.era == Locality.Era.CURRENT], locality_keys
        )
        self.former_localities = _index(
            [loc for loc in localities if loc.era == Locality.Era.FORMER], locality_keys
        )
        self.central = next((loc for loc in localities if loc.code == Locality.CENTRAL_CODE), None)
        ranks = list(Rank.objects.all())
        self.ranks = _index(ranks, Rank.match_keys)
        self.rank_by_code = {rank.code: rank for rank in ranks}
        # Longest alias first: "Phó Vụ trưởng ..." must find PHO_VU_TRUONG before VU_TRUONG.
        self.rank_prefixes = sorted(self.ranks, key=len, reverse=True)
        self.course_types = _index(
            CourseType.objects.all(),
            lambda t: [
                k for k in {fold(t.code), fold(t.name), *map(fold, t.aliases.splitlines())} if k
            ],
        )
        self.programmes = _index(
            Programme.objects.all(), lambda p: [k for k in {fold(p.code), fold(p.name)} if k]
        )
        agencies = list(Agency.objects.all())
        self.agencies = _index(agencies, Agency.match_keys)
        self.agency_by_pk = {agency.pk: agency for agency in agencies}
        self._courses = None
        self._memo = {}

    # Localities -------------------------------------------------------------------------
    def locality(self, raw, on_date):
        era = None
        if isinstance(raw, str) and raw.rstrip().endswith(")"):
            raw = unicodedata.normalize("NFC", raw)
            match = _ERA_MARK.search(raw)
            if match:
                raw = raw[: match.start()]
                era = "former" if fold(match.group(1)) in ("cu", "former") else "current"
        if era == "current":
            return self._locality(raw, False)
        if era == "former":
            return self._former_locality(raw, on_date is None or on_date < MERGER)
        return self._locality(raw, on_date is None or on_date < MERGER)

    @memo
    def _former_locality(self, raw, before_merger):
        """A locality written with its era, "Hà Giang (cũ)": the former province only."""
        key = fold_locality(raw)
        if key not in self.former_localities:
            raise BadValue(_("'%(value)s' is not a former province.") % {"value": text(raw)})
        if not before_merger:
            return self._locality(raw, False)  # the message that names its successor
        return _one(self.former_localities[key], raw, _("locality"))

    @memo
    def _locality(self, raw, before_merger):
        """A locality as of a date: former provinces only for records before 1-7-2025.

        Before the merger a name or code that is both former and current (Hà Nội, 15) means
        the former province: that is what a sheet of that time meant, and it rolls up to the
        same current unit.
        """
        key = fold_locality(raw)
        if before_merger and key in self.former_localities:
            return _one(self.former_localities[key], raw, _("locality"))
        if key in self.current_localities:
            return _one(self.current_localities[key], raw, _("locality"))
        if key in self.former_localities:
            successors = ", ".join(
                str(self.localities[self.current_unit[loc.pk]])
                for loc in self.former_localities[key]
            )
            raise BadValue(
                _(
                    "'%(value)s' is a former province; records from 01/07/2025 use the "
                    "current one (%(successors)s)."
                )
                % {"value": text(raw), "successors": successors}
            )
        raise BadValue(_("'%(value)s' is not a known province or city.") % {"value": text(raw)})

    # Ranks ----------------------------------------------------------------------------------
    @memo
    def rank(self, raw):
        """A rank from its code, name or an alias; else from the start of a position title."""
        key = fold(raw)
        if key in self.ranks:
            return _one(self.ranks[key], raw, _("rank"))
        found = self.rank_from_title(raw)
        if found is None:
            raise BadValue(_("'%(value)s' is not a known rank.") % {"value": text(raw)})
        return found

    @memo
    def rank_from_title(self, raw):
        """The rank whose longest alias the folded title starts with, or None."""
        key = fold(raw)
        if not key:
            return None
        for alias in self.rank_prefixes:
            if key.startswith(alias):
                return _one(self.ranks[alias], raw, _("rank"))
        return None

    # Other tables ---------------------------------------------------------------------------
    @memo
    def course_type(self, raw):
        candidates = self.course_types.get(fold(raw))
        if not candidates:
            raise BadValue(_("'%(value)s' is not a known course type.") % {"value": text(raw)})
        return _one(candidates, raw, _("course type"))

    @memo
    def programme(self, raw):
        candidates = self.programmes.get(fold(raw))
        if not candidates:
            raise BadValue(_("'%(value)s' is not a known programme.") % {"value": text(raw)})
        return _one(candidates, raw, _("programme"))

    def agency_candidates(self, raw):
        return self.agencies.get(fold(raw), [])

    @memo
    def agency(self, raw, locality=None):
        """An existing agency by name, short name or code, or None when there is none.

        Several agencies share a name ("Sở Ngoại vụ"): the row's locality picks one; a
        central-level agency of that name is found from any locality.
        """
        candidates = self.agencies.get(fold(raw), [])
        if not candidates:
            return None
        if locality is not None:
            unit = self.current_unit[locality.pk]
            here = [a for a in candidates if self.current_unit[a.locality_id] == unit]
            if here:
                return _one(here, raw, _("agency"))
            central = [a for a in candidates if a.level == Level.CENTRAL]
            return _one(central, raw, _("agency")) if central else None
        return _one(candidates, raw, _("agency"))

    # Courses --------------------------------------------------------------------------------
    @property
    def courses(self):
        if self._courses is None:
            # Where it is held and by whom: what a user's scope is checked against.
            courses = Course.objects.select_related("organiser").only(
                "id", "code", "start_date", "locality", "organiser__locality"
            )
            self._courses = _index(courses, lambda c: [fold(c.code)])
        return self._courses

    @memo
    def course(self, raw):
        candidates = self.courses.get(fold(raw))
        if not candidates:
            raise BadValue(_("No course has the code '%(value)s'.") % {"value": text(raw)})
        return _one(candidates, raw, _("course"))


def read_unit(importer, number, row, on_date):
    """The unit a row names in its ``locality`` and ``agency`` columns (baselines, plans): a
    locality as named on ``on_date``, or a known agency; exactly one of the two. A bad cell,
    an unknown agency or both/neither is an error on the row's column (``importer.error``,
    ``importer.bad``). Returns (locality or None, agency or None)."""
    lookups = importer.lookups
    locality = importer.read(number, row, "locality", lambda raw: lookups.locality(raw, on_date))
    agency_obj = importer.read(number, row, "agency", importer.known_agency)
    if not importer.bad and (locality is None) == (agency_obj is None):
        importer.error(
            number,
            "locality" if locality is None else "agency",
            _("give either a province or an agency, not both."),
        )
        importer.bad = True
    return locality, agency_obj

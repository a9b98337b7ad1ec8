"""The ``baselines`` kind: the workforce of a province or an agency, by year and rank."""

import datetime

from django.utils.translation import gettext as _

from cadres.models import WorkforceBaseline

from .. import contract
from .. import values as v
from ..matching import read_unit
from .engine import Importer


class BaselineImporter(Importer):
    kind = "baselines"
    COLUMNS = contract.importer_columns("baselines")
    WRITES_AFTER_READING = True
    ORDER = [WorkforceBaseline]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = {
            (year, rank, loc, agency): (pk, headcount)
            for pk, year, rank, loc, agency, headcount in WorkforceBaseline.objects.values_list(
                "pk", "year", "rank_id", "locality_id", "agency_id", "headcount"
            )
        }
        self.in_file = {}

    def row(self, number, row):
        lk = self.lookups
        year = self.read(number, row, "year", v.year, required=True)
        rank = self.read(number, row, "rank", lk.rank, required=True)
        # A workforce count of year Y is dated 1 January Y.
        on_date = datetime.date(year, 1, 1) if year else None
        locality, agency_obj = read_unit(self, number, row, on_date)
        headcount = self.read(number, row, "headcount", v.whole_number, required=True)
        if self.bad:
            return
        key = (
            year,
            rank.pk,
            locality.pk if locality else None,
            agency_obj.pk if agency_obj else None,
        )
        if key in self.in_file:
            self.error(
                number,
                "headcount",
                _("row %(row)s already gives this count.") % {"row": self.in_file[key]},
            )
            self.bad = True
            return
        self.in_file[key] = number
        if not self.scope.is_national and not self.in_scope(
            WorkforceBaseline(locality_id=key[2], agency=agency_obj)
        ):
            if locality is not None:
                what = _("the province %(name)s") % {"name": locality}
                self.outside_scope(number, "locality", what)
            else:
                what = _("the agency %(name)s") % {"name": agency_obj}
                self.outside_scope(number, "agency", what)
            return
        baseline = WorkforceBaseline(
            year=year,
            rank_id=rank.pk,
            locality_id=key[2],
            agency_id=key[3],
            headcount=headcount,
            import_batch_id=self.batch_id,
        )
        # The same checks whether the row updates a count or adds one.
        self.validate(number, baseline, ["year", "headcount"])
        if self.bad:
            return
        existing = self.existing.get(key)
        if existing is not None:
            pk, old = existing
            if old == headcount:
                self.result.unchanged += 1
                return
            self.result.updated += 1
            if self.writing:
                self.log_update(WorkforceBaseline, pk, {"headcount": old})
                self.stage_update(
                    WorkforceBaseline,
                    ["headcount"],
                    WorkforceBaseline(pk=pk, headcount=headcount),
                )
            return
        self.result.created += 1
        if self.writing:
            self.creates[WorkforceBaseline].append(baseline)

"""The ``tallies`` kind: how many participants a course had, by rank, locality and gender."""

from django.utils.translation import gettext as _

from courses.models import ParticipantTally

from .. import contract
from .. import values as v
from .engine import Importer
from .participants import GENDER


class TallyImporter(Importer):
    kind = "tallies"
    COLUMNS = contract.importer_columns("tallies")
    WRITES_AFTER_READING = True
    ORDER = [ParticipantTally]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tallies = {}
        self.in_file = {}

    def tallies_of(self, course_pk):
        found = self.tallies.get(course_pk)
        if found is None:
            found = self.tallies[course_pk] = {
                (course_pk, rank, loc, gender): (pk, count)
                for pk, rank, loc, gender, count in ParticipantTally.objects.filter(
                    course_id=course_pk
                )
                .order_by()  # a dict: no ORDER BY (and its join of the ranks)
                .values_list("pk", "rank_id", "locality_id", "gender", "count")
            }
        return found

    def row(self, number, row):
        lk = self.lookups
        course = self.read_course(number, row)
        rank = self.read(number, row, "rank", lk.rank, required=True)
        on_date = course.start_date if course else None
        locality = self.read(number, row, "locality", lambda raw: lk.locality(raw, on_date))
        gender = self.read(
            number, row, "gender", lambda raw: v.choice(raw, v.GENDERS, GENDER), default=""
        )
        count = self.read(number, row, "count", v.whole_number, required=True)
        if self.bad:
            return
        key = (course.pk, rank.pk, locality.pk if locality else None, gender)
        if key in self.in_file:
            self.error(
                number,
                "count",
                _("row %(row)s already gives the count for this course, rank, locality and gender.")
                % {"row": self.in_file[key]},
            )
            self.bad = True
            return
        self.in_file[key] = number
        if not self.scope.is_national and not self.in_scope(
            ParticipantTally(course=course, locality_id=key[2])
        ):
            # Its province decides; without one, the course's (accounts.scoping).
            if locality is not None and self.scope.kind == "locality":
                what = _("the province %(name)s") % {"name": locality}
                self.outside_scope(number, "locality", what)
            else:  # the words of an unknown code: nothing said of courses outside the scope
                self.course_outside_scope(number, course, row.get("course"))
            return
        tally = ParticipantTally(
            course_id=course.pk,
            rank_id=rank.pk,
            locality_id=key[2],
            gender=gender,
            count=count,
            import_batch_id=self.batch_id,
        )
        # The same checks whether the row updates a tally or adds one (a count beyond the
        # column's range is an error of its row, not a failed write).
        self.validate(number, tally, ["gender", "count"])
        if self.bad:
            return
        existing = self.tallies_of(course.pk).get(key)
        if existing is not None:
            pk, old = existing
            if old == count:
                self.result.unchanged += 1
                return
            self.result.updated += 1
            if self.writing:
                self.log_update(ParticipantTally, pk, {"count": old})
                self.stage_update(ParticipantTally, ["count"], ParticipantTally(pk=pk, count=count))
            return
        self.result.created += 1
        if self.writing:
            self.creates[ParticipantTally].append(tally)

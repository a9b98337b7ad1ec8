"""The ``courses`` kind: one course a row, found by its code (updated) or created."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import Course
from trainingmgr.text import fold

from .. import contract
from .. import values as v
from .engine import Importer

# What a choice column is called in an error; lazy, so a valid cell costs no translation.
MODE = gettext_lazy("mode")


class CourseImporter(Importer):
    kind = "courses"
    COLUMNS = contract.importer_columns("courses")
    WRITES_AFTER_READING = True
    ORDER = [Course]
    FIELDS = [
        "title",
        "programme_id",
        "course_type_id",
        "organiser_id",
        "start_date",
        "end_date",
        "locality_id",
        "country",
        "mode",
        "planned_participants",
        "budget_planned",
        "budget_spent",
    ]
    SHEET_FIELD = {
        "programme_id": "programme",
        "course_type_id": "course_type",
        "organiser_id": "organiser",
        "locality_id": "locality",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = {
            fold(c.code): c
            for c in Course.objects.select_related("organiser")  # for scopes
        }
        self.seen = {}
        # Only the columns the sheet has are imported; the others keep their values.
        self.fields = [f for f in self.FIELDS if self.SHEET_FIELD.get(f, f) in self.columns]

    def field_for_attr(self, attr):
        return {"programme": "programme", "course_type": "course_type"}.get(
            attr, self.SHEET_FIELD.get(attr, attr)
        )

    def row(self, number, row):
        lk = self.lookups
        code = self.read(number, row, "code", required=True)
        data = {
            "title": self.read(number, row, "title", required=True),
            "programme": self.read(number, row, "programme", lk.programme),
            "course_type": self.read(number, row, "course_type", lk.course_type, required=True),
            "start_date": self.read(number, row, "start_date", v.date, required=True),
            "end_date": self.read(number, row, "end_date", v.date),
            "country": self.read(number, row, "country", default=""),
            "mode": self.read(
                number,
                row,
                "mode",
                lambda raw: v.choice(raw, v.COURSE_MODES, MODE),
                default=Course.Mode.IN_PERSON,
            ),
            "planned_participants": self.read(number, row, "planned_participants", v.whole_number),
            "budget_planned": self.read(number, row, "budget_planned", v.whole_number),
            "budget_spent": self.read(number, row, "budget_spent", v.whole_number),
        }
        data["locality"] = self.read(
            number, row, "locality", lambda raw: lk.locality(raw, data["start_date"])
        )
        data["organiser"] = self.read(number, row, "organiser", self.known_agency)
        if code:
            key = fold(code)
            if key in self.seen:
                self.error(
                    number,
                    "code",
                    _("the course %(code)s is already in row %(row)s.")
                    % {"code": code, "row": self.seen[key]},
                )
                self.bad = True
            self.seen[key] = number
        if self.bad:
            return
        new = Course(
            code=code,
            title=data["title"],
            programme=data["programme"],
            course_type=data["course_type"],
            organiser=data["organiser"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            locality=data["locality"],
            country=data["country"],
            mode=data["mode"],
            planned_participants=data["planned_participants"],
            budget_planned=data["budget_planned"],
            budget_spent=data["budget_spent"],
            import_batch_id=self.batch_id,
        )
        existing = self.existing.get(fold(code))
        self.parsed["course"] = new if existing is None else existing  # preview: row_matches()
        if existing is not None:
            if not self.in_scope(existing):
                self.course_outside_scope(number, "code", code)
                return
            old = {f: getattr(existing, f) for f in self.fields}
            for f in self.fields:
                setattr(existing, f, getattr(new, f))
            if not self.in_scope(existing):
                self.course_outside_scope(number, None, code)
            self.validate(number, existing, ["code", *self.fields])
            changed = {f: val for f, val in old.items() if getattr(existing, f) != val}
            self.parsed["changes"] = {f: (val, getattr(existing, f)) for f, val in changed.items()}
            if self.bad or not changed:
                for f, val in old.items():
                    setattr(existing, f, val)
                if not self.bad:
                    self.result.unchanged += 1
                return
            self.result.updated += 1
            if self.writing:
                self.log_update(Course, existing.pk, changed)
                self.stage_update(Course, [*self.fields, "updated_at"], existing)
                existing.updated_at = datetime.datetime.now(datetime.UTC)
            return
        if not self.in_scope(new):
            self.course_outside_scope(number, None, code)
            return
        self.validate(number, new, ["code", *self.FIELDS])
        if self.bad:
            return
        self.result.created += 1
        if self.writing:
            self.creates[Course].append(new)

    def course_outside_scope(self, number, field, code):
        """A scoped user's course must be held in their locality or organised by one of its
        agencies (a locality scope), or organised by their agency (an agency scope)."""
        if field is None:
            field = "locality" if self.scope.kind == "locality" else "organiser"
        self.outside_scope(number, field, _("the course %(code)s") % {"code": code})

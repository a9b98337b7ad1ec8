"""What an import will do, in words: the preview of an upload and the page of a batch.

The preview is built on the dry run's own results: while the dry run reads the file, each
importer hands over what a row matched (``Importer.row_matches``: the course, the person, the
rank, the province, the agency) and :func:`record` keeps it for the first rows, with the
names of every agency, person and course the file would create. Nothing is matched twice.

For each new agency the closest agency the user may see is suggested when the two look like
one (:func:`near_duplicates`: names folded, common abbreviations expanded, "tỉnh"/"thành
phố" left out, token similarity). The clerk may choose, before confirming, to use that
agency: the choice travels to the import as ``agency_map`` ({key: agency pk}, key
:func:`agency_key`), where :func:`mapped_agency` applies it; the batch records it
(``details["agencies_mapped"]``).

The batch page (:func:`batch_entries`, :func:`batch_details`) says what a batch created and
changed from the rows pointing to it and its ``ImportChange`` rows.
"""

import re

from django.apps import apps
from django.core.paginator import Paginator
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from cadres.models import Agency, Cadre, Locality
from courses.models import Course, Enrolment
from trainingmgr.personal import birth_for, id_number_for
from trainingmgr.search import fold_for_search
from trainingmgr.text import fold

from .models import BatchTraced, ImportChange
from .values import BadValue, text

SAMPLE_ROWS = 20  # rows described (services.SAMPLE_ROWS shows as many raw rows)
NAMES_LIMIT = 200  # new people and courses named on the preview; the others counted
AGENCIES_LIMIT = 50  # new agencies listed (each with its suggestions)
SUGGESTIONS = 3  # existing agencies offered for one new agency
SIMILARITY = 0.85  # the least token similarity of a near-duplicate
BATCH_PAGE_SIZE = 50


# Recording during the dry run ----------------------------------------------------------------
class Matches:
    """What a dry run's rows matched: the first rows in full, and the new things by name."""

    def __init__(self, lookups):
        self.lookups = lookups
        self.rows = []  # (row number, {field: matched value}, whether the row has an error)
        self.new_people = {}  # -n -> full name (the first NAMES_LIMIT)
        self.new_agencies = {}  # agency_key -> {"agency", "rows", "count"}
        self.new_courses = []  # unsaved Course objects (the first NAMES_LIMIT)
        self.new_course_count = 0


def agency_key(folded_name, locality_pk):
    """How a new agency is known between the preview and the import: the importer's own key
    (folded name, home locality), as text (it travels in JSON)."""
    return f"{folded_name}|{locality_pk}"


def record(importer, number):
    """Keep what a dry run's row matched (called by Importer.handle on a dry run)."""
    result = importer.result
    if result.matches is None:
        result.matches = Matches(importer.lookups)
    matches = result.matches
    found = importer.row_matches()
    if len(matches.rows) < SAMPLE_ROWS:
        matches.rows.append((number, dict(found), importer.bad))
    if importer.bad:
        return
    person = found.get("person")
    if (
        isinstance(person, int)
        and person < 0
        and person not in matches.new_people
        and len(matches.new_people) < NAMES_LIMIT
    ):
        matches.new_people[person] = found.get("full_name", "")
    agency = found.get("agency")
    if isinstance(agency, Agency) and agency.pk is None:
        key = agency_key(fold(agency.name), agency.locality_id)
        entry = matches.new_agencies.get(key)
        if entry is None and len(matches.new_agencies) < AGENCIES_LIMIT:
            entry = matches.new_agencies[key] = {"agency": agency, "rows": [], "count": 0}
        if entry is not None:
            entry["count"] += 1
            if len(entry["rows"]) < 5:
                entry["rows"].append(number)
    course = found.get("course")
    if importer.kind == "courses" and isinstance(course, Course) and course.pk is None:
        matches.new_course_count += 1
        if len(matches.new_courses) < NAMES_LIMIT:
            matches.new_courses.append(course)


def mapped_agency(importer, name, key):
    """The existing agency chosen at the preview for a new agency's (folded name, locality),
    or None when none was chosen. One outside the user's scope, or gone since, is an error
    of the row (BadValue): the choice was checked at the confirm step, but not by this job."""
    chosen = importer.result.agency_map.get(agency_key(*key))
    if chosen is None:
        return None
    agency = importer.lookups.agency_by_pk.get(chosen)
    if agency is None or not importer.in_scope(agency):
        raise BadValue(
            _(
                "the agency chosen at the preview for '%(name)s' is not available: upload "
                "the file again."
            )
            % {"name": name}
        )
    importer.result.agencies_mapped[name] = agency.pk
    return agency


# Near-duplicate agencies ----------------------------------------------------------------------
# Abbreviations of agency names, folded (fold_for_search), with what they stand for.
ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "ngv": "ngoai vu",
    "sngv": "so ngoai vu",
    "snv": "so ngoai vu",
    "bng": "bo ngoai giao",
    "vp": "van phong",
    "tu": "trung uong",
}
# Words that say what kind of locality it is, not which: left out.
IGNORED = re.compile(r"\b(tinh|thanh pho|tp)\b")
_WORD = re.compile(r"[a-z0-9]+")


def agency_tokens(name):
    """The words of an agency's name, as compared: 'UBND tỉnh Quảng Ngãi' ->
    {'uy', 'ban', 'nhan', 'dan', 'quang', 'ngai'}."""
    words = _WORD.findall(fold_for_search(name) or "")
    expanded = " ".join(ABBREVIATIONS.get(word, word) for word in words)
    return frozenset(_WORD.findall(IGNORED.sub(" ", expanded)))


def similarity(first, second):
    """Dice coefficient of two token sets: 1 when they hold the same words."""
    if not first or not second:
        return 0.0
    return 2 * len(first & second) / (len(first) + len(second))


def near_duplicates(agency, candidates, current_unit):
    """The existing agencies (of ``candidates``: (agency, tokens) the user may see) that look
    like the new ``agency``, closest first, at most SUGGESTIONS. Two local agencies of
    different provinces are never the same agency."""
    tokens = agency_tokens(agency.name)
    home = current_unit.get(agency.locality_id)
    found = []
    for existing, existing_tokens in candidates:
        score = similarity(tokens, existing_tokens)
        if score < SIMILARITY:
            continue
        there = current_unit.get(existing.locality_id)
        both_local = agency.level != "central" and existing.level != "central"
        if both_local and home != there:
            continue
        # Equal names (two "Sở Ngoại vụ") are ordered by id: the same suggestions on every
        # database, whatever order the rows were read in.
        found.append((-score, there != home, existing.name, existing.pk, existing))
    found.sort(key=lambda entry: entry[:4])
    return [entry[4] for entry in found[:SUGGESTIONS]]


def suggestion_candidates(user):
    """(agency, tokens) of every agency the user may see: the only ones suggested."""
    return [
        (agency, agency_tokens(agency.name))
        for agency in Agency.objects.visible_to(user).select_related("locality")
    ]


def allowed_mapping(user, offered, posted):
    """The agency map of a confirm: ``posted`` {key: pk text} checked against what the preview
    ``offered`` ({key: [pks]}) and the user's scope. Returns (agency_map, refused names)."""
    chosen = {}
    for key, value in posted.items():
        if value in ("", None):
            continue
        try:
            chosen[key] = int(value)
        except (TypeError, ValueError):
            chosen[key] = None
    visible = set(
        Agency.objects.visible_to(user)
        .filter(pk__in=[pk for pk in chosen.values() if pk is not None])
        .values_list("pk", flat=True)
    )
    agency_map, refused = {}, []
    for key, pk in chosen.items():
        entry = offered.get(key)
        if entry is None or pk not in entry["pks"] or pk not in visible:
            refused.append(entry["name"] if entry else key.split("|")[0])
            continue
        agency_map[key] = pk
    return agency_map, refused


# The preview's page ---------------------------------------------------------------------------
def describe(result, user):
    """What the preview page shows of a dry run: the first rows in words, and what the file
    would create, by name, with near-duplicate suggestions for new agencies."""
    matches = result.matches
    if matches is None:
        return None
    context = {
        "user": user,
        "people": _people(matches, user),
        "localities": matches.lookups.localities,
    }
    described = [(number, _row_cells(found, bad, context)) for number, found, bad in matches.rows]
    present = {field for _number, cells in described for field, _html in cells}
    fields = [field for field in FIELD_ORDER if field in present]
    header = [_field_label(result, field) for field in fields]
    rows = [
        (number, [dict(cells).get(field, "") for field in fields]) for number, cells in described
    ]
    current_unit = matches.lookups.current_unit
    candidates = suggestion_candidates(user) if matches.new_agencies else []
    localities = matches.lookups.localities
    agencies = []
    for key, entry in matches.new_agencies.items():
        agency = entry["agency"]
        agencies.append(
            {
                "key": key,
                "field": f"map:{key}",
                "name": agency.name,
                "locality": localities.get(agency.locality_id),
                "rows": entry["rows"],
                "count": entry["count"],
                "suggestions": near_duplicates(agency, candidates, current_unit),
            }
        )
    return {
        "header": header,
        "rows": rows,
        "agencies": agencies,
        "agencies_total": result.agencies_created,
        "people": list(matches.new_people.values()),
        "people_total": result.people_created,
        "courses": [f"{c.code} — {c.title}" for c in matches.new_courses],
        "courses_total": matches.new_course_count,
        "people_shown": sorted(context["people"]),  # known people described (the audit)
    }


def offered_mappings(described):
    """{key: {"name", "pks"}} of the suggestions shown: what a confirm may choose from."""
    if not described:
        return {}
    return {
        entry["key"]: {"name": entry["name"], "pks": [a.pk for a in entry["suggestions"]]}
        for entry in described["agencies"]
        if entry["suggestions"]
    }


FIELD_ORDER = ("course", "code", "person", "rank", "locality", "agency", "status")


def _field_label(result, field):
    """A described field's heading: the sheet's own column label, else a name of ours (a
    course sheet's course is its "code" column; the person is several columns)."""
    if field == "person":
        return _("Person")
    if field == "course" and result.column_label("course") == "course":
        return result.column_label("code") if result.column_label("code") != "code" else _("Course")
    return result.column_label(field)


def _row_cells(found, bad, context):
    cells = []
    for field in FIELD_ORDER:
        if field == "code" and "course" in found:
            continue
        if field in found and found[field] not in (None, ""):
            cells.append((field, _cell(field, found, context)))
    if bad:
        cells.append(("status", format_html('<span class="preview-error">{}</span>', _("error"))))
    return cells


def _tag(label, css):
    return format_html(' <span class="preview-tag preview-{}">{}</span>', css, label)


def _cell(field, found, context):
    value = found[field]
    if field == "course" and isinstance(value, Course):
        return _course_cell(value, found.get("changes"))
    if field == "person":
        return _person_cell(value, found, context)
    if isinstance(value, Locality):
        return locality_text(value, context["localities"])
    if isinstance(value, Agency):
        if value.pk is None:
            return format_html("{}{}", value.name, _tag(_("to be created"), "new"))
        return _link(value, str(value))
    if field == "status":
        return str(Enrolment.Status(value).label) if value in Enrolment.Status.values else value
    return text(value) if not isinstance(value, models.Model) else str(value)


def locality_text(locality, localities=None):
    """A province as the current unit it counts in: 'Hà Giang (cũ) → Tuyên Quang'
    (``localities``: {pk: Locality} already read, else the successor is read)."""
    if locality.era == Locality.Era.FORMER and locality.successor_id:
        successor = (localities or {}).get(locality.successor_id) or locality.successor
        return f"{locality} → {successor.name}"
    return str(locality)


def _course_cell(course, changes):
    label = f"{course.code} — {course.title}"
    if course.pk is None:
        return format_html("{}{}", label, _tag(_("to be created"), "new"))
    html = format_html("{}{}", _link(course, label), _tag(_("existing"), "existing"))
    if changes:
        html += format_html(
            "<ul class='preview-changes'>{}</ul>",
            format_html_join(
                "",
                "<li>{}: {} → {}</li>",
                (
                    (_verbose(Course, name), _value(Course, name, old), _value(Course, name, new))
                    for name, (old, new) in changes.items()
                ),
            ),
        )
    return html


def _people(matches, user):
    """The existing people of the described rows, read through the user's scope."""
    pks = {found["person"] for _n, found, _b in matches.rows if (found.get("person") or 0) > 0}
    return Cadre.objects.visible_to(user).in_bulk(pks) if pks else {}


def _person_cell(person, found, context):
    """Someone new, by the row's name; or someone known, by name with a link, the birth
    date and ID number as the user may see them (trainingmgr.personal: masked without
    cadres.view_personal_data)."""
    if person < 0:
        return format_html("{}{}", found.get("full_name", ""), _tag(_("new"), "new"))
    cadre = context["people"].get(person)
    if cadre is None:
        return _("an existing person")
    user = context["user"]
    return format_html(
        "{}{} <span class='preview-personal'>{} · {}</span>",
        _link(cadre, cadre.full_name),
        _tag(_("existing"), "existing"),
        _("born %(birth)s") % {"birth": birth_for(user, cadre)},
        _("ID %(id)s") % {"id": id_number_for(user, cadre)},
    )


def _link(obj, label):
    meta = obj._meta
    try:
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return label
    return format_html('<a href="{}">{}</a>', url, label)


def _verbose(model, name):
    try:
        return capfirst(model._meta.get_field(name.removesuffix("_id")).verbose_name)
    except Exception:  # a field renamed since the batch was imported
        return name


def _value(model, name, value):
    """A field's value as a page shows it: a related object by name, a choice by label, a
    date dd/mm/yyyy, a number with separators; nothing as "—"."""
    if value is None or value == "":
        return "—"
    try:
        model_field = model._meta.get_field(name.removesuffix("_id"))
    except Exception:
        return text(value)
    if model_field.is_relation:
        pk = value.pk if isinstance(value, models.Model) else value
        related = model_field.related_model._base_manager.filter(pk=pk).first()
        return str(related) if related is not None else f"#{pk}"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.DateField) and isinstance(value, str):
        value = model_field.to_python(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return formats.localize(value, use_l10n=True)


# The batch page -------------------------------------------------------------------------------
def traced_models():
    """Every model whose rows point to the batch that created them (BatchTraced)."""
    return [m for m in apps.get_models() if issubclass(m, BatchTraced)]


class _Concatenated:
    """Several querysets read as one sequence, for a Paginator: counted each once, sliced
    across, each page read with one query per source and turned into entries."""

    def __init__(self, sources):
        self.sources = [(queryset, entries) for queryset, entries in sources]
        self.counts = [queryset.count() for queryset, _e in self.sources]

    def __len__(self):
        return sum(self.counts)

    count = __len__

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop if index.stop is not None else len(self)
        out = []
        offset = 0
        for (queryset, entries), count in zip(self.sources, self.counts, strict=True):
            low, high = max(start - offset, 0), min(stop - offset, count)
            if low < high:
                out.extend(entries(list(queryset[low:high])))
            offset += count
        return out


def batch_entries(batch, page_number=1):
    """A page of what the batch created and changed, as sentences with links."""
    created_agencies = batch.changes.filter(
        action=ImportChange.Action.CREATED, model="cadres.agency"
    ).order_by("id")
    updated = batch.changes.filter(action=ImportChange.Action.UPDATED).order_by("id")
    sources = [(created_agencies, _created_agency_entries), (updated, _updated_entries)]
    for model in traced_models():
        queryset = model._base_manager.filter(import_batch=batch).order_by("pk")
        if model is Enrolment:
            queryset = queryset.select_related("cadre", "course")
        elif any(f.many_to_one and f.name != "import_batch" for f in model._meta.fields):
            queryset = queryset.select_related(
                *[
                    f.name
                    for f in model._meta.fields
                    if f.many_to_one and f.name != "import_batch" and not f.null
                ]
            )
        sources.append((queryset, _created_entries))
    paginator = Paginator(_Concatenated(sources), BATCH_PAGE_SIZE)
    return paginator.get_page(page_number)


def _created_entries(objs):
    return [
        _sentence(_("Created %(what)s") % {"what": obj._meta.verbose_name}, obj, str(obj))
        for obj in objs
    ]


def _created_agency_entries(changes):
    agencies = Agency.objects.in_bulk([c.object_id for c in changes])
    entries = []
    for change in changes:
        agency = agencies.get(change.object_id)
        label = agency.name if agency else _("#%(id)s (deleted since)") % {"id": change.object_id}
        entries.append(
            _sentence(_("Created %(what)s") % {"what": Agency._meta.verbose_name}, agency, label)
        )
    return entries


def _updated_entries(changes):
    by_model = {}
    for change in changes:
        by_model.setdefault(change.model, []).append(change.object_id)
    objects = {}
    for label, pks in by_model.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        objects[label] = (model, model._base_manager.in_bulk(pks))
    entries = []
    for change in changes:
        model, found = objects.get(change.model, (None, {}))
        obj = found.get(change.object_id)
        if model is None or obj is None:
            entries.append(
                {
                    "action": _("Updated"),
                    "html": _("%(model)s #%(id)s (deleted since)")
                    % {"model": change.model, "id": change.object_id},
                }
            )
            continue
        details = [
            (
                _verbose(model, name),
                _value(model, name, old),
                _value(
                    model,
                    name,
                    getattr(obj, model._meta.get_field(name.removesuffix("_id")).attname),
                ),
            )
            for name, old in change.old_values.items()
        ]
        entry = _sentence(_("Updated %(what)s") % {"what": model._meta.verbose_name}, obj, str(obj))
        entry["changes"] = details
        entries.append(entry)
    return entries


def _sentence(action, obj, label):
    return {"action": action, "html": _link(obj, label) if obj is not None else label}


def batch_details(batch):
    """The batch's details as labelled lines (what ``details`` holds, in words)."""
    details = batch.details or {}
    labels = {  # rows, created, updated, unchanged: the batch's own fields, shown above
        "people_matched": _("People matched"),
        "people_created": _("People created"),
        "agencies_created": _("Agencies created"),
        "header_row": _("Header row"),
        "encoding": _("Encoding assumed:"),
        "sheet": _("Sheet"),
    }
    lines = []
    for key, label in labels.items():
        if details.get(key) not in (None, "", []):
            value = details[key]
            lines.append(
                (label.rstrip(":"), formats.localize(value) if isinstance(value, int) else value)
            )
    if details.get("ignored_columns"):
        lines.append((_("Ignored columns:").rstrip(":"), ", ".join(details["ignored_columns"])))
    if details.get("footer_rows"):
        lines.append((_("Footer rows skipped"), ", ".join(str(r) for r in details["footer_rows"])))
    mapped = details.get("agencies_mapped") or {}
    if mapped:
        agencies = Agency.objects.in_bulk(mapped.values())
        lines.append(
            (
                _("Agencies mapped to existing ones"),
                format_html_join(
                    "; ",
                    "{} → {}",
                    (
                        (
                            name,
                            _link(agencies[pk], agencies[pk].name) if pk in agencies else f"#{pk}",
                        )
                        for name, pk in mapped.items()
                    ),
                ),
            )
        )
    revert = details.get("revert")
    if revert:
        removed = ", ".join(f"{n} {name}" for name, n in revert.get("removed", {}).items())
        lines.append((_("Reverted by"), details.get("reverted_by") or "—"))
        lines.append((_("Removed"), removed or "—"))
        lines.append((_("Put back"), formats.localize(revert.get("restored", 0))))
        for reason, count in revert.get("kept", {}).items():
            lines.append((_("Kept"), f"{count} × {reason}"))
    return lines

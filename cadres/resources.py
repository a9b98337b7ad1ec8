"""Export resources and file formats shared by the admin's spreadsheet exports.

Every export's columns come from the sheet contract (imports.contract): the Vietnamese
headers, and each value written the way the importer reads it back to the same record
(ranks, course types, modes, statuses and genders by their Vietnamese names, localities
with their era where the date alone would mislead, dates as real dates). An exported file
re-imports as "unchanged" (tests/imports/test_roundtrip.py).

Every cell goes through trainingmgr.cells: CSV text that could run as a formula gets an
apostrophe; .xlsx text is written as strings (never formulas, no apostrophe shown), numbers
as numbers and dates as dates.
"""

import csv
import datetime
import functools
import io

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from import_export import fields, resources
from import_export.formats import base_formats
from import_export.forms import SelectableFieldsExportForm

from trainingmgr.cells import escape_cell, write_only_row

from .models import Cadre, WorkforceBaseline

DATE_FORMAT = "%d/%m/%Y"


def escape_formula(value):
    """Kept for callers of the first round: the one escaping of trainingmgr.cells."""
    return escape_cell(value)


def _sheet_title(title):
    import re

    return re.sub(r"[/\\?*\[\]:]", "-", str(title or "Dữ liệu"))[:31]


class XLSX(base_formats.XLSX):
    """Streamed (openpyxl write-only), text as strings, dates shown dd/mm/yyyy, the sheet
    titled in Vietnamese after the kind."""

    def export_data(self, dataset, **kwargs):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_sheet_title(getattr(dataset, "title", None)))
        header = []
        for name in dataset.headers or ():
            cell = WriteOnlyCell(sheet, value=str(name))
            cell.data_type = "s"
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for row in dataset:
            sheet.append(write_only_row(sheet, [None if v == "" else v for v in row]))
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()


class CSV(base_formats.CSV):
    """Comma-separated, dates dd/mm/yyyy, every text cell escaped (trainingmgr.cells)."""

    def export_data(self, dataset, **kwargs):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([escape_cell(str(h)) for h in dataset.headers or ()])
        for row in dataset:
            writer.writerow([_csv_value(v) for v in row])
        return out.getvalue()


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.strftime(DATE_FORMAT)
    return escape_cell(value)


EXPORT_FORMATS = [XLSX, CSV]


class ExportForm(SelectableFieldsExportForm):
    """The export form: columns labelled by their Vietnamese header alone, and .xlsx chosen
    unless another format is picked (no "---")."""

    def _get_field_label(self, resource, field_name):
        """The column's header in the file; for a column the library named after the model
        field, the field's (translated) verbose name."""
        field = resource.fields.get(field_name)
        if field is not None and field.column_name and field.column_name != field_name:
            return str(field.column_name)
        try:
            return str(resource._meta.model._meta.get_field(field_name).verbose_name)
        except FieldDoesNotExist:
            return str(field.column_name) if field is not None else field_name

    def _init_formats(self, formats):
        super()._init_formats(formats)
        choices = [c for c in self.fields["format"].choices if c[0] != ""]
        self.fields["format"].choices = choices
        self.fields["format"].initial = choices[0][0] if choices else None
        self.fields["format"].widget = forms.Select(choices=choices)


def export_file_name(model, file_format):
    """khoa-hoc-01-12-2026.xlsx: the kind's Vietnamese stem and today's date, dd-mm-yyyy."""
    from imports.contract import SHEETS

    stems = {
        "courses.course": "courses",
        "courses.enrolment": "participants",
        "courses.participanttally": "tallies",
        "cadres.workforcebaseline": "baselines",
    }
    label = model._meta.label_lower
    kind = stems.get(label)
    stem = SHEETS[kind].file_stem if kind in SHEETS else model._meta.model_name
    if label == "cadres.cadre":
        stem = "can-bo"
    today = timezone.localdate().strftime("%d-%m-%Y")
    return f"{stem}-{today}.{file_format.get_extension()}"


def locality_value(locality, on_date=None):
    """A locality as an import finds it back (imports.contract.locality_cell)."""
    from imports.contract import locality_cell

    return locality_cell(locality, on_date)


def agency_value(agency):
    """An agency by its code when it has one (unique), else by its name."""
    from imports.contract import agency_cell

    return agency_cell(agency)


# Columns that hold personal data (restricted to cadres.view_personal_data): an export
# that has one of them says so in its file name.
PERSONAL_COLUMNS = frozenset({"Ngày sinh", "Số định danh"})


class ExportResource(resources.ModelResource):
    """Export-only: declared fields, none taken from the model automatically.

    ``personal_fields`` lists the fields left out for users who may not see personal data.
    """

    select_related = ()
    personal_fields = ()
    sheet_title = ""

    def filter_export(self, queryset, **kwargs):
        # Whatever the changelist selected, the rows are read with their relations at once.
        return queryset.select_related(*self.select_related)

    def export(self, *args, **kwargs):
        dataset = super().export(*args, **kwargs)
        dataset.title = self.sheet_title or str(self._meta.model._meta.verbose_name_plural)
        return dataset


def contract_resource(name, kind, model, select_related, *, exclude=(), module=__name__):
    """An export resource whose columns are the kind's contract columns (imports.contract):
    one field per column, its header the Vietnamese one, its value the column's writer."""
    from imports.contract import SHEETS

    sheet = SHEETS[kind]
    columns = [c for c in sheet.columns if c.exported and c.name not in exclude]
    attrs = {
        "select_related": tuple(select_related),
        "personal_fields": tuple(c.name for c in columns if c.personal),
        "sheet_title": sheet.title,
        "__module__": module,
    }
    for column in columns:
        attrs[column.name] = fields.Field(column_name=column.vi)
        attrs[f"dehydrate_{column.name}"] = _writer(column.write)
    names = tuple(c.name for c in columns)
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": names, "export_order": names})
    return type(name, (ExportResource,), attrs)


def _writer(write):
    def dehydrate(self, obj):
        return write(obj)

    return dehydrate


WorkforceBaselineExportResource = contract_resource(
    "WorkforceBaselineExportResource",
    "baselines",
    WorkforceBaseline,
    ("rank", "locality", "agency"),
)


@functools.cache
def without_personal_data(resource_class):
    """The resource without its personal fields (the same class when it has none).

    Cached: the export form names its checkboxes after the class, so the class offered on
    the form and the one used on submit must be one and the same.
    """
    personal = getattr(resource_class, "personal_fields", ())
    if not personal:
        return resource_class
    kept = tuple(f for f in resource_class._meta.export_order if f not in personal)
    meta = type("Meta", (resource_class.Meta,), {"fields": kept, "export_order": kept})
    name = f"{resource_class.__name__}WithoutPersonalData"
    return type(name, (resource_class,), {"Meta": meta, "__module__": resource_class.__module__})


class _CadreAsEnrolment:
    """A cadre seen through the participant sheet's writers (which read an enrolment)."""

    def __init__(self, cadre):
        self.cadre = cadre
        self.rank = cadre.rank
        self.agency = cadre.agency
        self.locality = cadre.locality
        self.course = None


def _cadre_column(name):
    from imports.contract import PARTICIPANTS, locality_cell

    column = PARTICIPANTS.column(name)
    if name == "locality":
        return lambda cadre: locality_cell(cadre.locality, timezone.localdate())
    return lambda cadre: column.write(_CadreAsEnrolment(cadre))


def _cadre_resource():
    """People, with the participant sheet's headers and writers (without the course)."""
    from imports.contract import PARTICIPANTS

    columns = [c for c in PARTICIPANTS.columns if c.name not in ("course", "status")]
    attrs = {
        "select_related": ("rank", "agency", "locality"),
        "personal_fields": tuple(c.name for c in columns if c.personal),
        "sheet_title": "Cán bộ",
        "__module__": __name__,
        "__doc__": "People, with the participant sheet's headers (without the course).",
    }
    for column in columns:
        attrs[column.name] = fields.Field(column_name=column.vi)
        attrs[f"dehydrate_{column.name}"] = _writer(_cadre_column(column.name))
    names = tuple(c.name for c in columns)
    attrs["Meta"] = type("Meta", (), {"model": Cadre, "fields": names, "export_order": names})
    return type("CadreExportResource", (ExportResource,), attrs)


CadreExportResource = _cadre_resource()

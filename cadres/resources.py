"""Export resources and file formats shared by the admin's spreadsheet exports.

Exports use the Vietnamese headers of the spreadsheet contract (DESIGN.md) and write values
an import accepts (codes, names, dd/mm/yyyy dates), so an exported file can be re-imported.
"""

import functools

from import_export import fields, resources, widgets
from import_export.formats import base_formats

from .models import Cadre, WorkforceBaseline

DATE_FORMAT = "%d/%m/%Y"


def escape_formula(value):
    """A text cell that would run as a formula loses its leading '=' (what
    IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT does), other cells keep their type."""
    if isinstance(value, str) and value.lstrip().startswith("="):
        return value.lstrip()[1:]
    return value


class EscapeFormulaeMixin:
    """The stock escaping turns every cell into str(), so dates stop being dates and empty
    cells read "None"; this one escapes text only."""

    def _escape_formulae(self, dataset):
        for _ in range(len(dataset)):
            row = dataset.lpop()
            dataset.append([escape_formula(cell) for cell in row])


class XLSX(EscapeFormulaeMixin, base_formats.XLSX):
    pass


class CSV(EscapeFormulaeMixin, base_formats.CSV):
    pass


EXPORT_FORMATS = [XLSX, CSV]


def date_field(attribute, column_name):
    return fields.Field(
        attribute=attribute, column_name=column_name, widget=widgets.DateWidget(DATE_FORMAT)
    )


def number_field(attribute, column_name):
    # Not coerced to a string: number_format() would write 9.000 (vi thousand separator),
    # which an import could read as nine.
    return fields.Field(
        attribute=attribute,
        column_name=column_name,
        widget=widgets.IntegerWidget(coerce_to_string=False),
    )


def text_field(attribute, column_name):
    return fields.Field(attribute=attribute, column_name=column_name, widget=widgets.CharWidget())


def locality_value(locality):
    """A locality as an import finds it: its name (the era follows from the record's date)."""
    return locality.name if locality else ""


def agency_value(agency):
    """An agency by its code when it has one (unique), else by its name."""
    if agency is None:
        return ""
    return agency.code or agency.name


# Columns that hold personal data (restricted to cadres.view_personal_data): an export
# that has one of them says so in its file name.
PERSONAL_COLUMNS = frozenset({"Ngày sinh", "Số định danh"})


class ExportResource(resources.ModelResource):
    """Export-only: declared fields, none taken from the model automatically.

    ``personal_fields`` lists the fields left out for users who may not see personal data.
    """

    select_related = ()
    personal_fields = ()

    def filter_export(self, queryset, **kwargs):
        # Whatever the changelist selected, the rows are read with their relations at once.
        return queryset.select_related(*self.select_related)

    # Localities and agencies are written the way an import reads them back.
    def dehydrate_locality(self, obj):
        return locality_value(obj.locality)

    def dehydrate_agency(self, obj):
        return agency_value(obj.agency)


class WorkforceBaselineExportResource(ExportResource):
    year = number_field("year", "Năm")
    rank = text_field("rank__code", "Cấp")
    locality = fields.Field(column_name="Tỉnh/thành")
    agency = fields.Field(column_name="Cơ quan")
    headcount = number_field("headcount", "Số lượng")

    select_related = ("rank", "locality", "agency")

    class Meta:
        model = WorkforceBaseline
        fields = ("year", "rank", "locality", "agency", "headcount")
        export_order = fields


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


class CadreExportResource(ExportResource):
    """People, with the participant sheet's headers (without the course)."""

    full_name = text_field("full_name", "Họ và tên")
    birth_date = date_field("birth_date", "Ngày sinh")
    birth_year = number_field("birth_year", "Năm sinh")
    gender = text_field("gender", "Giới tính")
    id_number = text_field("id_number", "Số định danh")
    email = text_field("email", "Email")
    position = text_field("position", "Chức vụ")
    rank = text_field("rank__code", "Cấp")
    agency = fields.Field(column_name="Cơ quan")
    locality = fields.Field(column_name="Tỉnh/thành")

    select_related = ("rank", "agency", "locality")
    personal_fields = ("birth_date", "id_number")

    class Meta:
        model = Cadre
        fields = (
            "full_name",
            "birth_date",
            "birth_year",
            "gender",
            "id_number",
            "email",
            "position",
            "rank",
            "agency",
            "locality",
        )
        export_order = fields

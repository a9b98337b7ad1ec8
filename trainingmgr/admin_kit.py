"""The shared admin kit: the base every ModelAdmin of the project builds on (scope through
each model's ``visible_to``, exports, history), the list filters, links and the personal-data
helpers. The domain apps' admin modules import from here; nothing here imports them."""

import dataclasses

from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportActionMixin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from accounts import scoping
from accounts.audit import record_personal_data_access
from cadres.models import Locality
from cadres.resources import (
    EXPORT_FORMATS,
    PERSONAL_COLUMNS,
    ExportForm,
    export_file_name,
    without_personal_data,
)

# The personal-data rule lives in the kit's trainingmgr.personal; re-exported for the admins.
from trainingmgr.personal import (  # noqa: F401
    PERSONAL_DATA_PERMISSION,
    PERSONAL_FIELDS,
    birth_for,
    id_number_for,
    is_personal,
    masked_id_number,
    may_see_personal_data,
)

admin.site.site_header = _("Training management")
admin.site.site_title = _("Training management")
admin.site.index_title = _("Training of foreign-affairs and integration cadres")

# The changelist template: "Export", plus an "Import" button on the lists that the
# spreadsheet import fills (admins with an import_kind), linking to the upload view.
CHANGE_LIST_TEMPLATE = "admin/change_list_export_import.html"

MERGE_PERMISSION = "cadres.merge_cadre"


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget, except that a posted value that is no valid key (a
    tampered form) is dropped when the form is shown again with its errors, instead of
    making the page fail with a ValueError (a 500)."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field

        def is_key(item):
            try:
                key = target.to_python(item)
            except ValidationError:
                return False
            return not isinstance(key, int) or fits_a_key(key)

        return super().optgroups(name, [item for item in value if is_key(item)], attr)


def fits_a_key(number):
    """Whether a number can be a database key: on SQLite an `__in` lookup with a number beyond
    64 bits raises OverflowError (a 500) instead of finding nothing."""
    return -(2**63) <= number < 2**63


def scoped_form(form_class, user, error_fields):
    """The form class, refusing to save an object that would fall outside the user's scope.

    The check runs on the instance as it would be saved (after the model's own clean, which
    fills an enrolment's locality from its cadre), with the rules of scoping.covers().
    """
    scope = scoping.scope_of(user)
    if scope.is_national:
        return form_class

    class ScopedForm(form_class):
        def _post_clean(self):
            super()._post_clean()
            if self.errors or scoping.covers(user, self.instance):
                return
            field = error_fields.get(scope.kind)
            message = gettext(
                "This would put the record outside your scope (%(scope)s): "
                "choose a value within it."
            ) % {"scope": scope.label}
            self.add_error(field if field in self.fields else None, message)

    ScopedForm.__name__ = form_class.__name__
    return ScopedForm


def visible_rows(model_admin, queryset, user):
    """The rows of an admin's queryset the user may see: through the model's ``visible_to``;
    for reference data and accounts (``reference_data = True``), all of them (the view
    permission decides); for any other model, none to anyone but a superuser (deny by
    default: an admin that forgot to say how its model is scoped shows nothing)."""
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(user)
    if getattr(model_admin, "reference_data", False) or user.is_superuser:
        return queryset
    return queryset.none()


def in_scope(request, model, pk):
    """Whether the row is visible to the request's user (a malformed key is not)."""
    queryset = model._default_manager.all()
    if not hasattr(queryset, "visible_to"):
        return True
    try:
        return queryset.visible_to(request.user).filter(pk=pk).exists()
    except (ValueError, TypeError, ValidationError, OverflowError):
        return False


class ScopedChangeList(ChangeList):
    """A changelist that accepts only the parameters its own list filters and date hierarchy
    produce (plus the admin's ``extra_lookups``): a forged lookup (``id_number__startswith``,
    ``cadre__birth_date__month``...) is a 400, never a yes/no answer about a hidden value."""

    def get_filters(self, request):
        self.personal_allowed = may_see_personal_data(request.user)
        sent = set(self.get_filters_params())
        result = super().get_filters(request)
        remaining = result[2]
        generated = set()
        hierarchy = self.date_hierarchy
        if hierarchy and f"{hierarchy}__year" in sent:
            generated = {f"{hierarchy}__gte", f"{hierarchy}__lt"}
        extra = set(getattr(self.model_admin, "extra_lookups", ()))
        forged = sorted(
            ({key for key in remaining if key not in generated} | (sent & generated)) - extra
        )
        personal = [key for key in sent if is_personal(key)] if not self.personal_allowed else []
        if forged or personal:
            raise DisallowedModelAdminLookup(f"Filtering by {(forged + personal)[0]} not allowed")
        return result

    def get_ordering_field(self, field_name):
        """No ordering by a personal field for a user who may not see it."""
        order = super().get_ordering_field(field_name)
        if (
            order is not None
            and not getattr(self, "personal_allowed", False)
            and (is_personal(order) or is_personal(field_name))
        ):
            return None
        return order


class ScopedAdminMixin:
    """The base of every ModelAdmin and inline of the project: narrows it to what the user
    may see (``Model.objects.visible_to(user)``, trainingmgr/visibility.py): the changelist,
    change, delete and history pages (an out-of-scope pk is a 404, as get_object() uses
    get_queryset()), version pages, exports and autocomplete results; foreign-key choices;
    and the saved object itself, re-read through ``visible_to`` inside the save's transaction.
    The changelist accepts only its own filters' parameters (ScopedChangeList).

    ``reference_data = True`` marks an admin whose rows are not tied to a scope (localities,
    ranks, programmes, accounts). ``scope_error_fields`` says, by scope kind, which form
    field an out-of-scope error is shown on. ``scope_filter`` is no longer read (the rule is
    the model's); it stays for the admins that still set it.
    """

    scope_filter = None
    reference_data = False
    extra_lookups = ()
    scope_error_fields = {"locality": "locality", "agency": "agency"}

    def get_queryset(self, request):
        return visible_rows(self, super().get_queryset(request), request.user)

    def get_changelist(self, request, **kwargs):
        return ScopedChangeList

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if may_see_personal_data(request.user):
            return fields
        return [name for name in fields if not is_personal(name)]

    def get_exclude(self, request, obj=None):
        """Personal fields are never in a form for a user who may not see them (an admin may
        show a masked value in their place, as the cadre admin does)."""
        exclude = super().get_exclude(request, obj)
        if may_see_personal_data(request.user):
            return exclude
        personal = [f.name for f in self.model._meta.fields if f.name in PERSONAL_FIELDS]
        return [*(exclude or ()), *personal] if personal else exclude

    def shows(self, request, object_id):
        """Whether this admin shows the record to the user (through get_queryset(), as the
        change page does); a malformed key shows nothing."""
        try:
            return self.get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, TypeError, ValidationError, OverflowError):
            return False

    def recheck_saved(self, request, obj):
        """NetBox's pattern: after a save, the object must still be visible to the user, else
        the whole save (inside the admin's transaction) is refused and rolled back."""
        if not in_scope(request, type(obj), obj.pk):
            raise PermissionDenied

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.recheck_saved(request, obj)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for obj in [*formset.new_objects, *(row for row, _fields in formset.changed_objects)]:
            self.recheck_saved(request, obj)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django sends a missing pk of the change, history and delete pages to the admin
        # index with a message; a pk outside the scope must be a plain 404, the same as a
        # pk that does not exist, so that it tells nothing. (Private hook, Django >= 1.11.)
        raise Http404

    def others_depend_on(self, request, obj):
        """Whether deleting obj would also delete rows outside the user's scope."""
        return False

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None or scoping.scope_of(request.user).is_national:
            return True
        return not self.others_depend_on(request, obj)

    def get_actions(self, request):
        # Deleting many at once cannot ask each object whether others depend on it.
        actions = super().get_actions(request)
        if not scoping.scope_of(request.user).is_national:
            actions.pop("delete_selected", None)
        return actions

    def history_view(self, request, object_id, extra_context=None):
        # django-simple-history shows the history of a record it cannot find through
        # get_queryset() from its last historical row: outside the scope it is a 404.
        if not self.shows(request, unquote(object_id)):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A version page (django-simple-history): a 404 outside the scope, read-only for
        everyone. Reverting is not offered (SIMPLE_HISTORY_REVERT_DISABLED); a POST, which the
        library would save as a change, is refused whatever the user's permissions."""
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        object_id = unquote(object_id)
        if not str(version_id).isdigit() or not fits_a_key(int(version_id)):
            raise Http404
        if not self.shows(request, object_id):
            raise Http404
        request.trainingmgr_version_page = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if getattr(request, "trainingmgr_version_page", False):
            opts = self.model._meta
            names = [f.name for f in [*opts.fields, *opts.many_to_many] if f.editable]
            if not may_see_personal_data(request.user):
                names = [name for name in names if name not in PERSONAL_FIELDS]
            readonly += [name for name in names if name not in readonly]
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scoping.choices(field.queryset, request.user)
        return field

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if self.reference_data:
            return form
        return scoped_form(form, request.user, self.scope_error_fields)

    def get_formset(self, request, obj=None, **kwargs):
        """For inlines: each row of the formset is checked like a form."""
        formset = super().get_formset(request, obj, **kwargs)
        if not self.reference_data:
            formset.form = scoped_form(formset.form, request.user, self.scope_error_fields)
        return formset


# Third-party admins whose rows only administrators may open (only the Administrators group
# holds their permissions): adopted into the kit as not tied to a scope, so that they too
# accept only their own filters' parameters. Any other admin must be written on the kit.
ADMINISTRATORS_ONLY = (
    "auth.group",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "accounts.personaldataaccess",  # the personal-data access log (administrators only)
    "api.apitoken",  # API tokens (api/admin.py)
    "django_tasks_database.dbtaskresult",  # the background task queue (django-tasks-db)
)


def adopt_administrators_only(site, labels=ADMINISTRATORS_ONLY):
    for model, model_admin in list(site._registry.items()):
        if model._meta.label_lower not in labels or isinstance(model_admin, ScopedAdminMixin):
            continue
        base = type(model_admin)
        adopted = type(
            base.__name__,
            (ScopedAdminMixin, base),
            {"reference_data": True, "__module__": base.__module__},
        )
        site.unregister(model)
        site.register(model, adopted)


class ExportAdmin(ScopedAdminMixin, ExportActionMixin, admin.ModelAdmin):
    """The base of the project's ModelAdmins: scoped (ScopedAdminMixin), and its list exports
    to xlsx and csv, honouring the changelist's filters.

    Exporting needs the view permission (IMPORT_EXPORT_EXPORT_PERMISSION_CODE). Set
    ``import_kind`` to show the "Import" button for that spreadsheet kind.
    """

    export_formats = EXPORT_FORMATS
    export_form_class = ExportForm  # Vietnamese column labels, .xlsx preselected
    # A BOM so that Excel reads the Vietnamese in a CSV as UTF-8.
    to_encoding = "utf-8-sig"
    import_export_change_list_template = CHANGE_LIST_TEMPLATE
    import_kind = None

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "import_kind": self.import_kind}
        return super().changelist_view(request, extra_context)

    def get_valid_export_item_pks(self, request):
        """The rows an "export selected" action may name: those of the user's list (the
        library's default, all rows of the table, is deprecated)."""
        return self.get_queryset(request).values_list("pk", flat=True)

    def get_export_resource_classes(self, request):
        """Without the personal columns for users who may not see personal data."""
        classes = super().get_export_resource_classes(request)
        if may_see_personal_data(request.user):
            return classes
        return [without_personal_data(resource_class) for resource_class in classes]

    def get_data_for_export(self, request, queryset, **kwargs):
        data = super().get_data_for_export(request, queryset, **kwargs)
        # Read by get_export_filename(), called after this for the same response.
        request.export_has_personal_data = bool(PERSONAL_COLUMNS & set(data.headers or ()))
        if request.export_has_personal_data:  # who saw personal data (accounts/audit.py)
            record_personal_data_access(request, queryset.model, count=len(data), channel="export")
        return data

    def get_export_filename(self, request, queryset, file_format):
        """A file with ID numbers or birth dates says so in its name."""
        name = export_file_name(self.model, file_format)  # khoa-hoc-01-12-2026.xlsx
        if getattr(request, "export_has_personal_data", False):
            stem, _dot, extension = name.rpartition(".")
            name = f"{stem}-personal-data.{extension}"
        return name

    def get_export_data(self, file_format, request, queryset, **kwargs):
        """As import-export's, except that "binary" is asked of the format: the library
        checks the exact class, and our formats are subclasses (dates would become text)."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(
            request, queryset, force_native_type=file_format.is_binary(), **kwargs
        )
        export_data = file_format.export_data(data)
        encoding = kwargs.get("encoding")
        if not file_format.is_binary() and encoding:
            export_data = export_data.encode(encoding)
        return export_data


def locality_filter(field_name, title=None):
    """A list filter on a locality field by current unit: choosing a current locality also
    finds the records of the former provinces merged into it; a former one finds itself."""

    class LocalityFilter(admin.SimpleListFilter):
        parameter_name = f"{field_name}_unit"

        def lookups(self, request, model_admin):
            localities = Locality.objects.order_by("era", "code")  # "current" sorts first
            return [(str(locality.pk), str(locality)) for locality in localities]

        def queryset(self, request, queryset):
            value = self.value()
            if not value or not value.isdigit():
                return queryset
            return queryset.filter(Locality.in_unit(field_name, int(value)))

    LocalityFilter.title = title or _("locality")
    return LocalityFilter


def year_filter(date_field, title=None):
    """A list filter on the year of a date field, listing the years that have data."""
    model_path, _sep, field = date_field.rpartition("__")

    class YearFilter(admin.SimpleListFilter):
        parameter_name = f"{date_field}_year"

        def lookups(self, request, model_admin):
            model = model_admin.model
            if model_path:
                model = model._meta.get_field(model_path).related_model
            years = model._default_manager.dates(field, "year", order="DESC")
            return [(str(day.year), str(day.year)) for day in years]

        def queryset(self, request, queryset):
            value = self.value()
            if not value or not value.isdigit():
                return queryset
            return queryset.filter(**{f"{date_field}__year": int(value)})

    YearFilter.title = title or _("year")
    return YearFilter


def admin_link(obj, label=None):
    """A link to an object's admin change page."""
    if obj is None:
        return "-"
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, label or obj)


class MaskedHistoryHelper(HistoricalRecordContextHelper):
    """The "changes" column of a history page, with personal fields masked for users who may
    not see personal data."""

    def __init__(self, model, record, masked=()):
        super().__init__(model, record)
        self.masked = set(masked)

    def format_delta_change(self, change):
        formatted = super().format_delta_change(change)
        if change.field in self.masked:
            return dataclasses.replace(formatted, old="•••", new="•••")
        return formatted


class TrackedAdmin(ExportAdmin, SimpleHistoryAdmin):
    """An exportable admin whose records keep their change history (who, when, what),
    shown by the "History" button of each record's page (history/models.py). The history
    and version pages are scoped and read-only (ScopedAdminMixin); ``personal_fields`` are
    masked in the history's changes for users without the personal-data permission."""

    personal_fields = ()

    def get_historical_record_context_helper(self, request, historical_record):
        masked = () if may_see_personal_data(request.user) else self.personal_fields
        return MaskedHistoryHelper(self.model, historical_record, masked)

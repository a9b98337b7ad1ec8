"""Scope in the admin: the mixin that narrows every data list, form and choice to the user's
scope, and the user admin on which that scope is set."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trainingmgr.admin_ux import PermissionLabelsMixin
from trainingmgr.search import FoldedSearchMixin

from . import scoping
from .models import AccessScope


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


class ScopedAdminMixin:
    """Narrows a ModelAdmin to the user's scope (accounts.scoping): the changelist, change
    and delete pages (an out-of-scope pk is a 404, as get_object() uses get_queryset()),
    exports and autocomplete results; foreign-key choices; and the saved object itself.

    ``scope_filter`` names the scoping function of the model; ``scope_error_fields`` says,
    by scope kind, which form field an out-of-scope error is shown on.
    """

    scope_filter = None
    scope_error_fields = {"locality": "locality", "agency": "agency"}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return getattr(scoping, self.scope_filter)(queryset, request.user)

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
        # get_queryset() from its last historical row: a scoped user must get a 404 instead.
        if not scoping.scope_of(request.user).is_national:
            try:
                found = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
            except (ValueError, ValidationError):
                found = False
            if not found:
                raise Http404
        return super().history_view(request, object_id, extra_context)

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
        form = super().get_form(request, obj, change, **kwargs)
        return scoped_form(form, request.user, self.scope_error_fields)

    def get_formset(self, request, obj=None, **kwargs):
        """For inlines: each row of the formset is checked like a form."""
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = scoped_form(formset.form, request.user, self.scope_error_fields)
        return formset


class AccessScopeInline(admin.StackedInline):
    model = AccessScope
    can_delete = False
    verbose_name_plural = _("access scope")
    autocomplete_fields = ["agency"]
    fields = ["kind", "locality", "agency"]


class ScopedUserAdmin(FoldedSearchMixin, PermissionLabelsMixin, UserAdmin):
    """Django's user admin, with the scope set on the user's page and shown in the list."""

    inlines = [*UserAdmin.inlines, AccessScopeInline]
    list_display = [*UserAdmin.list_display, "roles", "scope"]
    list_select_related = ["access_scope__locality", "access_scope__agency"]
    list_filter = [*UserAdmin.list_filter, "access_scope__kind"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def roles(self, user):
        names = [gettext(group.name) for group in user.groups.all()]
        if user.is_superuser:
            names.insert(0, gettext("Superuser"))
        return ", ".join(names) or "-"

    @admin.display(description=_("scope"), ordering="access_scope__kind")
    def scope(self, user):
        if user.is_superuser:
            return AccessScope.Kind.NATIONAL.label
        try:
            return str(user.access_scope)
        except AccessScope.DoesNotExist:
            return AccessScope.Kind.NATIONAL.label


admin.site.unregister(User)
admin.site.register(User, ScopedUserAdmin)

# The log of personal-data access (administrators only, read-only): accounts/audit_admin.py.
from . import audit_admin  # noqa: E402, F401

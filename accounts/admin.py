"""The user admin, on which a clerk's or manager's scope is set. The mixin that narrows every
data list, form and choice to the user's scope lives in the shared admin kit
(trainingmgr/admin_kit.py); its names stay importable from here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trainingmgr.admin_kit import (  # noqa: F401 (kept importable from their old home)
    SafeAutocompleteSelect,
    ScopedAdminMixin,
    fits_a_key,
    scoped_form,
)
from trainingmgr.admin_ux import PermissionLabelsMixin
from trainingmgr.search import FoldedSearchMixin

from .models import AccessScope


class AccessScopeInline(ScopedAdminMixin, admin.StackedInline):
    reference_data = True
    model = AccessScope
    can_delete = False
    verbose_name_plural = _("access scope")
    autocomplete_fields = ["agency"]
    fields = ["kind", "locality", "agency"]


class ScopedUserAdmin(FoldedSearchMixin, PermissionLabelsMixin, ScopedAdminMixin, UserAdmin):
    """Django's user admin, with the scope set on the user's page and shown in the list.
    Accounts are not tied to a scope: only administrators hold the user permissions."""

    reference_data = True
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

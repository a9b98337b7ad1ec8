"""How the admin site presents itself to the people who use it every day.

- The index and the sidebar list the sections in the order of the work: programmes and
  courses first, then cadres, imports and history; the technical sections (login attempts,
  users and groups) last, and only for administrators.
- django-axes' "clean up expired attempts" action reports in the user's language (the
  library builds its message with an f-string inside gettext, which no catalogue can match).
- Permissions are named in the user's language on the user and group pages (Django stores
  their names in English in the database, "Can add course type").
- The export page names each column as the file will (the sheet's header, "Mã khóa"),
  not as django-import-export does ("Code (Mã khóa)").
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext_lazy

from trainingmgr.search import FoldedSearchMixin

# App labels in the order a clerk works through them; others follow, technical ones last.
WORK_ORDER = ["courses", "cadres", "imports", "history"]
TECHNICAL_APPS = {"auth", "axes", "accounts"}
ADMINISTRATORS = "Administrators"


def is_administrator(user):
    """Superusers and members of the Administrators group."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=ADMINISTRATORS).exists()


def ordered_app_list(app_list, user):
    """The admin's app list in work order, without the technical sections for
    anyone but administrators."""
    if not is_administrator(user):
        app_list = [app for app in app_list if app["app_label"] not in TECHNICAL_APPS]

    for app in app_list:
        if app["app_label"] == "axes":  # django-axes has no verbose name ("Axes")
            app["name"] = gettext("Login attempts")

    def position(app):
        label = app["app_label"]
        if label in WORK_ORDER:
            return (0, WORK_ORDER.index(label), "")
        return (2 if label in TECHNICAL_APPS else 1, 0, str(app["name"]))

    return sorted(app_list, key=position)


def _install_app_order(site):
    original = site.get_app_list

    def get_app_list(request, app_label=None):
        return ordered_app_list(original(request, app_label), request.user)

    site.get_app_list = get_app_list


_install_app_order(admin.site)


class TranslatedAccessAttemptAdmin(AccessAttemptAdmin):
    """django-axes' admin of login attempts, with a translatable clean-up message."""

    actions = ["cleanup_expired_attempts"]

    @admin.action(description=AccessAttemptAdmin.cleanup_expired_attempts.short_description)
    def cleanup_expired_attempts(self, request, queryset):
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(
            request,
            ngettext(
                "Cleaned up %(count)d expired access attempt.",
                "Cleaned up %(count)d expired access attempts.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, TranslatedAccessAttemptAdmin)


# Permissions.

_ACTIONS = {
    "add": lambda model: gettext("Can add %(model)s") % {"model": model},
    "change": lambda model: gettext("Can change %(model)s") % {"model": model},
    "delete": lambda model: gettext("Can delete %(model)s") % {"model": model},
    "view": lambda model: gettext("Can view %(model)s") % {"model": model},
}


def permission_label(permission):
    """'Khóa học | Có thể thêm khóa học': the model and what the permission allows, both
    in the active language; a custom permission by its translated name."""
    content_type = permission.content_type
    model = content_type.model_class()
    if model is None:
        return str(permission)
    verbose_name = model._meta.verbose_name
    action, _sep, model_name = permission.codename.partition("_")
    if action in _ACTIONS and model_name == model._meta.model_name:
        what = _ACTIONS[action](verbose_name)
    else:
        what = gettext(permission.name)
    return f"{model._meta.app_config.verbose_name} | {verbose_name} | {what}"


class PermissionLabelsMixin:
    """ModelAdmin mixin: the permissions field lists permissions by permission_label()."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.name in {"permissions", "user_permissions"}:
            field.label_from_instance = permission_label
        return field


class TranslatedGroupAdmin(FoldedSearchMixin, PermissionLabelsMixin, GroupAdmin):
    """Django's group admin, with translated permission names and the folding search."""


if admin.site.is_registered(Group):
    admin.site.unregister(Group)
    admin.site.register(Group, TranslatedGroupAdmin)


# Exports.


# Filters.


def current_locality_filter(field_name, title=None):
    """A list filter on a locality field offering the current units only (34 and central
    level), each naming the former provinces merged into it: choosing one finds the records
    of the unit and of those former provinces (a former one's pk in the URL finds itself).

    Same parameter as cadres.admin.locality_filter, which listed the 98 localities."""
    from accounts import scoping
    from cadres.models import Locality

    class CurrentLocalityFilter(admin.SimpleListFilter):
        parameter_name = f"{field_name}_unit"

        def lookups(self, request, model_admin):
            units = scoping.choices(Locality.objects.current(), request.user).order_by("code")
            former = {}
            for locality in Locality.objects.former().order_by("name").only("name", "successor"):
                former.setdefault(locality.successor_id, []).append(locality.name)
            choices = []
            for unit in units:
                merged = [name for name in former.get(unit.pk, []) if name != unit.name]
                label = unit.name
                if merged:
                    label = gettext("%(name)s (with former %(former)s)") % {
                        "name": unit.name,
                        "former": ", ".join(merged),
                    }
                choices.append((str(unit.pk), label))
            return choices

        def queryset(self, request, queryset):
            from cadres.models import Locality

            value = self.value()
            if not value or not value.isdigit():
                return queryset
            return queryset.filter(Locality.in_unit(field_name, int(value)))

    CurrentLocalityFilter.title = title or gettext_lazy("locality")
    return CurrentLocalityFilter


# Languages by name ("Tiếng Anh", not "en").

# The languages of foreign-affairs training, by ISO 639-1 code (the code is what is stored).
LANGUAGES = {
    "en": pgettext_lazy("language", "English"),
    "fr": pgettext_lazy("language", "French"),
    "zh": pgettext_lazy("language", "Chinese"),
    "ru": pgettext_lazy("language", "Russian"),
    "ja": pgettext_lazy("language", "Japanese"),
    "ko": pgettext_lazy("language", "Korean"),
    "de": pgettext_lazy("language", "German"),
    "es": pgettext_lazy("language", "Spanish"),
    "pt": pgettext_lazy("language", "Portuguese"),
    "it": pgettext_lazy("language", "Italian"),
    "ar": pgettext_lazy("language", "Arabic"),
    "lo": pgettext_lazy("language", "Lao"),
    "km": pgettext_lazy("language", "Khmer"),
    "th": pgettext_lazy("language", "Thai"),
    "id": pgettext_lazy("language", "Indonesian"),
    "ms": pgettext_lazy("language", "Malay"),
    "vi": pgettext_lazy("language", "Vietnamese"),
}


def language_choices():
    """(code, name in the active language), English first then by name."""
    named = sorted(((code, str(name)) for code, name in LANGUAGES.items()), key=lambda c: c[1])
    return sorted(named, key=lambda c: c[0] != "en")


def language_name(code):
    """A language by name; a code outside the list as it is."""
    name = LANGUAGES.get(code)
    return str(name) if name is not None else code


@admin.display(description=gettext_lazy("language"), ordering="language")
def language_column(skill):
    """A changelist column: the skill's language by name."""
    return language_name(skill.language)


class LanguageSkillForm(forms.ModelForm):
    """A language skill's language chosen by name; the ISO code is what is stored (a code
    stored earlier outside the list stays a choice)."""

    language = forms.ChoiceField(label=gettext_lazy("language"), choices=language_choices)

    class Meta:
        fields = ["language", "level"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = getattr(self.instance, "language", "")
        if stored and stored not in LANGUAGES:
            self.fields["language"].choices = [*language_choices(), (stored, stored)]

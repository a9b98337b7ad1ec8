"""Admin of questionnaires (administrators edit the questions), lecturers (an inline on the
course page) and answering windows."""

from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses.admin import CourseAdmin
from trainingmgr.admin_kit import ScopedAdminMixin

from .models import EvaluationWindow, Lecturer, Question, Questionnaire


class QuestionInline(ScopedAdminMixin, admin.TabularInline):
    reference_data = True  # questionnaires are reference data
    model = Question
    extra = 0
    fields = ["order", "code", "text", "kind", "required"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(ScopedAdminMixin, admin.ModelAdmin):
    reference_data = True  # edited by administrators, read by everyone
    list_display = ["name", "course_type", "question_count"]
    list_select_related = ["course_type"]
    search_fields = ["name"]
    inlines = [QuestionInline]

    @admin.display(description=_("questions"))
    def question_count(self, questionnaire):
        return questionnaire.questions.count()


class KeepWhenAbsentFormSet(BaseInlineFormSet):
    """A course form posted without this inline's part (a script, or a test written before
    lecturers existed) leaves the lecturers as they are, instead of failing on a missing
    management form."""

    def __init__(self, data=None, *args, **kwargs):
        prefix = kwargs.get("prefix") or self.get_default_prefix()
        if data is not None and f"{prefix}-TOTAL_FORMS" not in data:
            data = data.copy()
            data[f"{prefix}-TOTAL_FORMS"] = "0"
            data[f"{prefix}-INITIAL_FORMS"] = "0"
        super().__init__(data, *args, **kwargs)


class LecturerInline(ScopedAdminMixin, admin.TabularInline):
    """The course's lecturers and speakers (added to the course admin at the end of this module);
    scoped by Lecturer.objects.visible_to (the course's rule), as every kit admin."""

    model = Lecturer
    formset = KeepWhenAbsentFormSet
    extra = 0
    fields = ["order", "full_name", "role", "affiliation"]
    verbose_name_plural = _("lecturers and speakers (for the evaluations)")


@admin.register(Lecturer)
class LecturerAdmin(ScopedAdminMixin, admin.ModelAdmin):
    # Scoped by Lecturer.objects.visible_to (the course's rule), as every kit admin.
    list_display = ["full_name", "role", "affiliation", "course"]
    list_filter = ["role"]
    list_select_related = ["course"]
    search_fields = ["full_name", "name_key", "affiliation", "course__code"]
    autocomplete_fields = ["course"]
    scope_error_fields = {"locality": "course", "agency": "course"}


@admin.register(EvaluationWindow)
class EvaluationWindowAdmin(ScopedAdminMixin, admin.ModelAdmin):
    # Scoped by EvaluationWindow.objects.visible_to (the course's rule), as every kit admin.
    list_display = ["course", "days"]
    list_select_related = ["course"]
    search_fields = ["course__code", "course__title"]
    autocomplete_fields = ["course"]
    scope_error_fields = {"locality": "course", "agency": "course"}


@admin.action(description=_("Evaluation links (personal links and QR codes)"))
def evaluation_links(modeladmin, request, queryset):
    if queryset.count() != 1:
        modeladmin.message_user(
            request, gettext("Choose one course to see its evaluation links."), messages.WARNING
        )
        return None
    return redirect(reverse("evaluations:course_links", args=[queryset.get().code]))


# The course admin's lecturer inline and evaluation links, added from here so that courses
# imports nothing of evaluations (docs/ARCHITECTURE.md).
CourseAdmin.add_features(actions=[evaluation_links], inlines=[LecturerInline])

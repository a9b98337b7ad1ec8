"""A URLconf for the scope matrix's own proof: the app's URLs plus two throwaway admin sites.

- ``/leaky-admin/``: cadres under a plain Django ModelAdmin, registered without scoping (what a
  new admin written without the project's kit would be). The matrix must catch it.
- ``/kit-admin/``: a model without any scope rule under the project's base admin: the kit
  denies by default, so it shows nothing and the matrix passes.
- ``/forgetful-admin/``: the course admin with a form that forgot the scope check: the save is
  re-read through ``visible_to`` inside the transaction and refused.
"""

from django.contrib import admin
from django.urls import path

from cadres.models import Cadre, NotDuplicate
from courses.admin import CourseAdmin
from courses.models import Course
from trainingmgr.admin_kit import ExportAdmin
from trainingmgr.urls import urlpatterns as app_urlpatterns

leaky_site = admin.AdminSite(name="leaky")
leaky_site.register(Cadre, admin.ModelAdmin)

kit_site = admin.AdminSite(name="kit")


class ForgetfulAdmin(ExportAdmin):
    """Says nothing about scope: no reference_data, and its model has no visible_to."""


kit_site.register(Cadre, ForgetfulAdmin)
kit_site.register(NotDuplicate, ForgetfulAdmin)

forgetful_site = admin.AdminSite(name="forgetful")


class ForgetfulFormCourseAdmin(CourseAdmin):
    """The course admin whose form forgot the scope check (no scoped_form)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        return admin.ModelAdmin.get_form(self, request, obj, change=change, **kwargs)


forgetful_site.register(Course, ForgetfulFormCourseAdmin)

urlpatterns = [
    path("forgetful-admin/", forgetful_site.urls),
    path("leaky-admin/", leaky_site.urls),
    path("kit-admin/", kit_site.urls),
    *app_urlpatterns,
]

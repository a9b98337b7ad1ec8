"""The project's URLs plus a stand-in for the imports app's upload view, so that the
"Import" button can be tested whether or not that view exists yet."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path


def upload(request):
    return HttpResponse("upload")


admin_urls = [
    path("imports/importbatch/upload/", upload, name="imports_importbatch_upload"),
    *admin.site.get_urls(),
]

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", (admin_urls, "admin", admin.site.name)),
    path("reports/", include("reports.urls")),
]

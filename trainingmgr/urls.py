from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from trainingmgr.pages import favicon

urlpatterns = [
    path("", RedirectView.as_view(url="/reports/", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("reports/", include("reports.urls")),
    path("api/", include("api.urls")),
    path("", include("certificates.urls")),
    path("", include("evaluations.urls")),
    path("plans/", include("plans.urls")),
]

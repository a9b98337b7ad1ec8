from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("overview/", views.overview, name="overview"),
    path("<str:code>/", views.programme_detail, name="programme_detail"),
    path("<str:code>/report.xlsx", views.programme_xlsx, name="programme_xlsx"),
    path("<str:code>/report.csv", views.programme_csv, name="programme_csv"),
]

"""The participant's form (/e/<token>/) and the staff pages (/evaluations/...)."""

from django.urls import path

from . import views

app_name = "evaluations"
urlpatterns = [
    path("e/<str:token>/", views.answer, name="answer"),
    path("evaluations/", views.results, name="results"),
    path("evaluations/results.xlsx", views.results_download, name="results_xlsx"),
    path("evaluations/course/<path:code>/links/", views.course_links, name="course_links"),
]

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("<str:code>/", views.programme_detail, name="programme_detail"),
]

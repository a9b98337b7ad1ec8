from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plans_page, name="plans"),
    path("plans.xlsx", views.plans_xlsx, name="plans_xlsx"),
    path("plans.csv", views.plans_csv, name="plans_csv"),
    path("periods/", views.completeness_page, name="completeness"),
    path("periods/<int:pk>/", views.period_by_id, name="period"),
    path("periods/<int:year>/<str:unit>/", views.period_page, name="period_unit"),
    path("quality/", views.quality_page, name="quality"),
]

"""Public verification (/v/...) and staff downloads (/certificates/...)."""

from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("v/", views.verify_form, name="verify_form"),
    path("v/<path:code>.json", views.verify_json, name="verify_json"),
    path("v/<path:code>/", views.verify, name="verify"),
    path("certificates/course/<path:code>/pdf/", views.course_pdf, name="course_pdf"),
    path("certificates/<path:key>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("records/", views.group_record, {"kind": "xlsx"}, name="records_index"),
    path("records/group.xlsx", views.group_record, {"kind": "xlsx"}, name="group_record_xlsx"),
    path("records/group.pdf", views.group_record, {"kind": "pdf"}, name="group_record_pdf"),
    path("records/cadre/<int:pk>.pdf", views.cadre_record, {"kind": "pdf"}, name="cadre_pdf"),
    path("records/cadre/<int:pk>.xlsx", views.cadre_record, {"kind": "xlsx"}, name="cadre_xlsx"),
]

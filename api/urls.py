from django.urls import path
from drf_spectacular.views import SpectacularAPIView

# schema registers the token scheme with drf-spectacular when the API is routed, not at
# start-up: drf-spectacular costs 0.3 s to import, paid by every command.
from . import schema, views  # noqa: F401

app_name = "api"
urlpatterns = [
    path("", views.Status.as_view(), name="status"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("programmes/", views.ProgrammeList.as_view(), name="programmes"),
    path("programmes/<str:code>/", views.ProgrammeDetail.as_view(), name="programme"),
    path("programmes/<str:code>/progress", views.ProgrammeProgress.as_view(), name="progress"),
    path("programmes/<str:code>/counts", views.ProgrammeCounts.as_view(), name="counts"),
    path("courses/", views.CourseList.as_view(), name="courses"),
    path(
        "courses/<str:code>/participants",
        views.CourseParticipants.as_view(),
        name="participants",
    ),
]

"""The project's URLs plus one view that fails, to see the 500 page a person would get."""

from django.urls import path

from trainingmgr.urls import urlpatterns as project_urlpatterns


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [*project_urlpatterns, path("broken/", broken)]

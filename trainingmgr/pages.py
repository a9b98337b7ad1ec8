"""Small site-wide pages: the favicon browsers ask for at /favicon.ico; the staff pages' gate;
the public address that printed QR codes and links point to."""

import functools

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

FAVICON = settings.BASE_DIR / "static" / "favicon.ico"


@require_safe
@cache_control(max_age=86_400, public=True)
def favicon(request):
    """The icon every browser requests at the root, whatever page links it (no 404)."""
    return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")


def staff_with(permission):
    """A page for staff who hold ``permission``: the login page for anyone signed out, 403
    for anyone else (certificates' and evaluations' staff pages)."""

    def decorator(view):
        @login_required
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_staff or not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def public_base_url(request=None):
    """The address the QR codes and the links of printed documents point to:
    PUBLIC_BASE_URL when set (the public name of the site, which staff behind an internal
    address may not see), else the request's."""
    base = getattr(settings, "PUBLIC_BASE_URL", "") or ""
    if base:
        return base.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return "http://localhost:8000"

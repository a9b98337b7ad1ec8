"""Small site-wide pages: the favicon browsers ask for at /favicon.ico."""

from django.conf import settings
from django.http import FileResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

FAVICON = settings.BASE_DIR / "static" / "favicon.ico"


@require_safe
@cache_control(max_age=86_400, public=True)
def favicon(request):
    """The icon every browser requests at the root, whatever page links it (no 404)."""
    return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")

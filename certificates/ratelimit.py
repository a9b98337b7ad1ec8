"""A small per-address rate limit on the public pages, kept in Django's cache.

Fixed one-minute windows: enough to stop a script walking through codes (31**12 of them)
while a person checking a handful of certificates never meets it."""

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render


def client_address(request):
    """The client's address. Behind the reverse proxy (DJANGO_BEHIND_PROXY=1) it is the last
    X-Forwarded-For entry, the one our proxy added: the ones before it are the client's say."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def over_limit(request, bucket, limit):
    window = int(time.time() // 60)
    key = f"ratelimit:{bucket}:{client_address(request)}:{window}"
    if cache.add(key, 1, timeout=120):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=120)
            count = 1
    return count > limit


def rate_limited(bucket, setting, default):
    """Refuse with 429 (and a page saying so) past `setting` requests a minute per address."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            limit = getattr(settings, setting, default)
            if over_limit(request, bucket, limit):
                response = render(request, "certificates/rate_limited.html", status=429)
                response["Retry-After"] = "60"
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

"""API callers: a Django test client that sends ``Authorization: Token <key>``."""

import pytest
from rest_framework.test import APIClient

from api.models import ApiToken


def caller(user):
    """An API client holding a fresh token of the user."""
    _token, key = ApiToken.objects.issue(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def api():
    return caller


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Throttling counts requests per user id in the cache; ids come back between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

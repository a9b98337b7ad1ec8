"""The import preview and the batch page: what a clerk reads before and after confirming.

Reuses the course fixtures of tests/imports (courses.xlsx, courses_en.csv); the scoped
personas are made with tests/access's ``staff``."""

import pytest
from django.utils import translation

from ..imports.helpers import courses  # noqa: F401


@pytest.fixture(autouse=True)
def _messages_in_english(settings):
    """Read in English, the language the code writes (one test switches to Vietnamese)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield

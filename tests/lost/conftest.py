import pytest
from django.utils import translation

from ..imports.helpers import courses  # noqa: F401


@pytest.fixture(autouse=True)
def _messages_in_english(settings):
    """These tests read messages in English, the language the code writes them in."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield

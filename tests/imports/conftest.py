import pytest
from django.utils import translation

from .helpers import courses  # noqa: F401


@pytest.fixture(autouse=True)
def _messages_in_english(settings):
    """The import tests read messages in English, the language the code writes them in
    (LANGUAGE_CODE is vi, and the Vietnamese catalogue translates them)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield

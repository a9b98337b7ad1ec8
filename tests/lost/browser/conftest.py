"""The browser tests of this folder share tests/browser's set-up (reference data restored
under Playwright)."""

from tests.browser.conftest import _reference_data_restorable_under_playwright  # noqa: F401

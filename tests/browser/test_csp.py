"""Under the Content-Security-Policy (no inline script, no inline style), the pages staff and
managers use work in Chromium and the browser reports no violation: the admin index, a course
page with its date pickers and autocompletes, the course list with its filters, the import
page, and the reports with their SVG charts."""

import pytest

from tests.conftest import login
from tests.reports.conftest import world  # noqa: F401  (the hand-made programme TEST-P)

# Every violation is kept on the page (the event) and in the console (Chromium's message).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    event.violatedDirective + " " + (event.blockedURI || "inline") + " " +
    (event.sourceFile || "") + ":" + event.lineNumber + " " + location.pathname + " " +
    (event.target && event.target.outerHTML ? event.target.outerHTML.slice(0, 120) : "")
  );
});
"""


@pytest.fixture
def watched(page):
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: console.append(f"page error: {error}"))
    page.add_init_script(RECORD_VIOLATIONS)
    return page, console


def violations(page, console):
    found = list(page.evaluate("window.__cspViolations || []"))
    return found + [text for text in console if "Content Security Policy" in text]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_main_pages_work_under_the_policy(watched, admin_user, world):  # noqa: F811
    page, console = watched
    response = page.goto("/admin/login/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "style-src 'self'" in policy
    login(page, "admin")
    assert violations(page, console) == [], violations(page, console)

    # The admin index.
    page.goto("/admin/")
    assert page.locator("#content-main").is_visible()
    assert violations(page, console) == [], violations(page, console)

    # A course page: the calendar of a date field and a select2 autocomplete open.
    course = world.c1
    page.goto(f"/admin/courses/course/{course.pk}/change/")
    page.click("#id_start_date ~ .datetimeshortcuts .date-icon, .field-start_date .date-icon")
    assert page.locator(".calendarbox").first.is_visible()
    page.keyboard.press("Escape")
    page.click(".field-locality .select2-selection")
    page.keyboard.type("ha noi")
    page.wait_for_selector(".select2-results__option")
    page.keyboard.press("Escape")
    assert violations(page, console) == [], violations(page, console)

    # The course list with its filter sidebar.
    page.goto("/admin/courses/course/")
    assert page.locator("#changelist-filter").is_visible()
    page.locator("#changelist-filter details summary").first.click()
    assert violations(page, console) == [], violations(page, console)

    # The export page: its "Select all" switch (an inline handler allowed by its hash).
    page.goto("/admin/courses/course/export/")
    page.wait_for_selector("input.select-toggle")
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]:visible')
    assert fields.count() > 2
    page.uncheck("input.select-toggle")
    assert all(not box.is_checked() for box in fields.all())
    page.check("input.select-toggle")
    assert all(box.is_checked() for box in fields.all())
    assert violations(page, console) == [], violations(page, console)

    # A course's history.
    page.goto(f"/admin/courses/course/{course.pk}/history/")
    assert violations(page, console) == [], violations(page, console)

    # The import page.
    page.goto("/admin/imports/importbatch/upload/")
    assert page.locator("input[type=file]").count() == 1
    assert violations(page, console) == [], violations(page, console)

    # The reports: the list with its health bars, a programme with its charts.
    page.goto("/reports/")
    bar = page.locator("svg.health rect").first  # SVG, no style attribute needed
    assert float(bar.get_attribute("width")) > 0
    page.goto("/reports/TEST-P/")
    assert page.locator("svg.chart").count() >= 1
    assert violations(page, console) == [], violations(page, console)

    # The language switch posts without an inline handler.
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert violations(page, console) == [], violations(page, console)
    assert [text for text in console if "page error" in text] == []

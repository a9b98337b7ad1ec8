"""The admin as a clerk sees it in Chromium, on the demo data: every list and every change
form fits a 1366 px screen without horizontal scrolling, the pages open on a 375 px phone,
and the custom pages (dashboard, import, preview, reports) can be used with the keyboard
alone, every control named for assistive technology."""

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.management import call_command

from tests.conftest import login

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 375, "height": 812}

# Page-level width, and any list or inline table wider than its box (a scrollbar of its own).
WIDTHS = """() => ({
  page: document.documentElement.scrollWidth,
  window: window.innerWidth,
  inner: Array.from(document.querySelectorAll('#changelist .results, .inline-group .tabular'))
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => e.className + ' ' + e.scrollWidth + '>' + e.clientWidth),
})"""

# Every control a person can reach (visible, enabled), in document order, each tagged with
# a number so that the Tab walk can tell two links to the same address apart.
CONTROLS = """() => Array.from(document.querySelectorAll(
    'a[href], input:not([type=hidden]), select, textarea, button'))
  .filter(e => !e.disabled && e.offsetParent !== null
               && getComputedStyle(e).visibility !== 'hidden' && e.tabIndex >= 0
               && !e.closest('.select2-hidden-accessible, .empty-form, [hidden], #nav-sidebar'))
  .map((e, i) => { e.dataset.tabCheck = i; return [i, e.id || e.name || e.getAttribute('href')
                                                   || e.textContent.trim()]; })"""

FOCUSED = """() => { const e = document.activeElement;
  return e === document.body || !e ? null : (e.dataset.tabCheck || 'untagged'); }"""

# The name assistive technology gives each input, select and button (its accessible name).
UNNAMED = """() => Array.from(document.querySelectorAll(
    'input:not([type=hidden]), select, textarea, button'))
  .filter(e => e.offsetParent !== null && !e.closest('.select2-hidden-accessible, .empty-form'))
  .filter(e => {
    const labelled = (e.labels && Array.from(e.labels).some(l => l.textContent.trim()))
      || (e.getAttribute('aria-label') || '').trim()
      || (e.getAttribute('aria-labelledby')
          && document.getElementById(e.getAttribute('aria-labelledby')))
      || (e.getAttribute('title') || '').trim()
      || ((e.tagName === 'BUTTON') && e.textContent.trim())
      || (['submit', 'button', 'reset'].includes(e.type) && (e.value || '').trim());
    return !labelled;
  })
  .map(e => e.outerHTML.slice(0, 120))"""


def admin_pages(page):
    """The changelist of every registered model, and the change form of its first row."""
    urls = []
    for model in admin.site._registry:
        opts = model._meta
        changelist = f"/admin/{opts.app_label}/{opts.model_name}/"
        urls.append(changelist)
        page.goto(changelist)
        first = page.query_selector("#result_list tbody tr th a, #result_list tbody tr td a")
        if first is not None:
            urls.append(first.get_attribute("href"))
    return urls


def tab_through(page, limit=600):
    """The tagged controls focused by pressing Tab from the top of the page."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        key = page.evaluate(FOCUSED)
        if key == "untagged":  # the navigation sidebar, a select2 box...
            continue
        if seen and key == seen[-1]:  # a date box: one stop for the day, month, year
            continue
        if key is None or key in seen:
            break
        seen.append(key)
    return seen


def check_keyboard_and_names(page, where):
    controls = page.evaluate(CONTROLS)
    reached = set(tab_through(page))
    missed = [name for number, name in controls if str(number) not in reached]
    assert missed == [], f"{where}: not reachable with Tab: {missed}"
    assert page.evaluate(UNNAMED) == [], f"{where}: controls without a name"
    # The accessibility tree Chromium builds (Playwright's ARIA snapshot): every button,
    # text box, list box and check box has a name ('- button "Lưu"', not '- button').
    snapshot = page.locator("body").aria_snapshot()
    nameless = [
        line.strip()
        for line in snapshot.splitlines()
        if re.match(r"\s*- (button|textbox|combobox|checkbox|searchbox|spinbutton)\b(?! \")", line)
    ]
    assert nameless == [], f"{where}: nameless in the accessibility tree: {nameless}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_admin_list_and_form_fits_1366_and_opens_at_375(page, admin_user):
    call_command("load_demo", verbosity=0)
    login(page, "admin")
    page.set_viewport_size(DESKTOP)
    too_wide = {}
    urls = admin_pages(page)
    assert len(urls) > 30
    for url in urls:
        page.goto(url)
        widths = page.evaluate(WIDTHS)
        if widths["page"] > widths["window"] or widths["inner"]:
            too_wide[url] = widths
    assert too_wide == {}

    page.set_viewport_size(PHONE)
    for url in ["/admin/", "/admin/courses/course/", urls[1], "/admin/imports/importbatch/upload/"]:
        response = page.goto(url)
        assert response.status == 200
        # The page itself never scrolls sideways; a list may scroll inside its own box.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1, url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_custom_pages_work_with_the_keyboard_and_name_every_control(page, admin_user):
    call_command("import_spreadsheet", "courses", str(FIXTURES / "courses.xlsx"))
    page.set_viewport_size(DESKTOP)

    # The login page, with the keyboard alone: the first button logs in.
    page.goto("/admin/login/")
    page.focus("#id_username")
    page.keyboard.type("admin")
    page.keyboard.press("Tab")
    page.keyboard.type("correct-horse-battery-staple")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/")

    check_keyboard_and_names(page, "dashboard")
    page.goto("/admin/imports/importbatch/upload/?kind=participants")
    check_keyboard_and_names(page, "import")
    page.set_input_files("#id_file", str(FIXTURES / "participants.xlsx"))
    page.click("input[name=_check]")
    page.wait_for_selector("#import-counts")
    check_keyboard_and_names(page, "preview")
    page.goto("/reports/")
    check_keyboard_and_names(page, "reports")
    page.goto("/reports/QD2007-2015/")
    check_keyboard_and_names(page, "programme report")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_text_contrast_meets_wcag_aa_on_the_custom_pages(page, admin_user):
    """Every text on the dashboard, the import page and the reports against its background:
    at least 4.5:1 (3:1 for large text)."""
    login(page, "admin")
    page.set_viewport_size(DESKTOP)
    for url in ["/admin/", "/admin/imports/importbatch/upload/?kind=participants", "/reports/"]:
        page.goto(url)
        low = page.evaluate(CONTRAST)
        assert low == [], (url, low)


CONTRAST = """() => {
  function rgb(s) { const m = s.match(/[\\d.]+/g); return m ? m.map(Number) : [0, 0, 0, 0]; }
  function lum([r, g, b]) {
    const f = c => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  }
  function background(e) {
    for (; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length < 4 || c[3] > 0.5) return c;
    }
    return [255, 255, 255];
  }
  const low = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement;
    if (!n.textContent.trim() || !e || e.offsetParent === null) continue;
    if (e.closest('script, style, .visually-hidden, option, select')) continue;
    const s = getComputedStyle(e);
    if (s.visibility === 'hidden' || parseFloat(s.opacity) < 0.5) continue;
    const a = lum(rgb(s.color)), b = lum(background(e));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight) >= 700;
    const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    if (ratio < need - 0.05) low.push(n.textContent.trim().slice(0, 40) + ' ' + ratio.toFixed(2));
  }
  return low.slice(0, 20);
}"""

"""Pictures of plans and reporting periods for docs/ (issue 14's closing note): the plans
page with plan against actual, the completeness page and a submitted period's page as the
manager who approves it sees it, at 1366x768 on the demo data.

Run on purpose (never by the test suite): scripts/screenshots-plans. It builds a throwaway
SQLite database, loads the demo (which has plans for Hà Nội, two provinces and two agencies,
Hà Nội 2025 approved and one province's 2025 submitted), serves it on a free local port,
drives Debian's Chromium and writes docs/screenshot-plans-*.png.
"""

import os
import tempfile

from shots import DOCS, ROOT, VIEWPORT, chromium, manage, serving

PASSWORD = "screenshots-only-2026"
SUBMITTED = ("31", 2025)  # plans/demo.py DEMO_PERIODS: a submitted year

USERS = f"""
from django.contrib.auth.models import Group, User
from cadres.models import Locality
manager = User.objects.create_user("lanhdao", password="{PASSWORD}", is_staff=True)
manager.groups.add(Group.objects.get(name="Managers"))
print(Locality.objects.get(era="current", code="{SUBMITTED[0]}").pk)
"""


def shoot(page, name, *, full_page=True):
    path = DOCS / f"screenshot-plans-{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    print(f"wrote {path.relative_to(ROOT)}")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/screenshots.sqlite3",
            "DJANGO_DEBUG": "1",
            "TRAININGMGR_COMMAND_LANGUAGE": "en",
        }
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "load_demo")
        unit_pk = manage(env, "shell", "-c", USERS, capture=True).stdout.split()[-1]
        with serving(env) as base, chromium() as browser:
            page = browser.new_context(base_url=base, viewport=VIEWPORT, locale="vi-VN").new_page()
            page.goto("/admin/login/")
            page.fill("#id_username", "lanhdao")
            page.fill("#id_password", PASSWORD)
            page.click("#login-form input[type=submit]")
            page.wait_for_load_state()
            page.goto("/plans/?year=2025&programme=QD1275-2020")
            shoot(page, "plan-vs-actual")
            page.goto("/plans/periods/?year=2025")
            shoot(page, "completeness")
            _code, year = SUBMITTED
            page.goto(f"/plans/periods/{year}/locality-{unit_pk}/")
            shoot(page, "period-approval")


if __name__ == "__main__":
    main()

"""Refresh the README's pictures on purpose (tests never write into docs/):

    scripts/screenshots [OUTDIR]        # default: docs/ (runs this file with .venv/bin/python)

Builds a throwaway SQLite database with the demo data (load_demo), serves the app on a free
loopback port, logs in a national manager in Chromium (/usr/bin/chromium, Playwright) and
saves: screenshot-programme.png (QD2007-2015 as of 30/06/2021), screenshot-map.png (its
map), screenshot-overview.png (/reports/overview/) and screenshot-phone.png (375 px)."""

import os
import sys
import tempfile
from pathlib import Path

from shots import ROOT, chromium, manage, serving

PASSWORD = "screenshots-only-2026"


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs").resolve()
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="screenshots-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "DJANGO_DEBUG": "1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "load_demo")
    script = (
        "from django.contrib.auth.models import Group, User;"
        f"u = User.objects.create_user('screens', 's@example.vn', '{PASSWORD}', is_staff=True);"
        "u.groups.add(Group.objects.get(name='Managers'))"
    )
    manage(env, "shell", "-c", script)
    with serving(env) as base:
        shoot(base, out)


def shoot(base, out):
    with chromium() as browser:
        context = browser.new_context(
            base_url=base, locale="vi-VN", viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()
        page.goto("/admin/login/")
        page.fill("#id_username", "screens")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_load_state()
        page.goto("/reports/QD2007-2015/?as_of=2021-06-30")
        page.screenshot(path=str(out / "screenshot-programme.png"), full_page=True)
        page.locator("section.map").screenshot(path=str(out / "screenshot-map.png"))
        page.goto("/reports/overview/")
        page.screenshot(path=str(out / "screenshot-overview.png"), full_page=True)
        page.set_viewport_size({"width": 375, "height": 800})
        page.goto("/reports/QD2007-2015/")
        page.screenshot(path=str(out / "screenshot-phone.png"), full_page=False)
    for name in ("programme", "map", "overview", "phone"):
        print(out / f"screenshot-{name}.png")


if __name__ == "__main__":
    main()

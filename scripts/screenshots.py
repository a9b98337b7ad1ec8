"""Refresh the README's pictures on purpose (tests never write into docs/):

    scripts/screenshots [OUTDIR]        # default: docs/ (runs this file with .venv/bin/python)

Builds a throwaway SQLite database with the demo data (load_demo), serves the app on a free
loopback port, logs in a national manager in Chromium (/usr/bin/chromium, Playwright) and
saves: screenshot-programme.png (QD2007-2015 as of 30/06/2021), screenshot-map.png (its
map), screenshot-overview.png (/reports/overview/) and screenshot-phone.png (375 px)."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable  # the interpreter running this script (.venv by scripts/screenshots)
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "screenshots-only-2026"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


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
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"], cwd=ROOT, env=env
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/admin/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        shoot(base, out)
    finally:
        server.terminate()
        server.wait(timeout=10)


def shoot(base, out):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
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
        browser.close()
    for name in ("programme", "map", "overview", "phone"):
        print(out / f"screenshot-{name}.png")


if __name__ == "__main__":
    main()

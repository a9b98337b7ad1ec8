"""Pictures of the admin for docs/: the dashboard of a clerk and of a manager, the course
list, a course page, an import preview, a preview with a near-duplicate agency suggested and
the page of the batch it made, at 1366x768 on the demo data.

Run on purpose (never by the test suite): scripts/screenshots-admin. It builds a throwaway
SQLite database, loads the demo, serves it on a free local port, drives Debian's Chromium
and writes docs/screenshot-admin-*.png.
"""

import os
import tempfile
from pathlib import Path

from shots import DOCS, ROOT, VIEWPORT, chromium, manage, serving

PASSWORD = "screenshots-only-2025"

USERS = f"""
from django.contrib.auth.models import Group, User
from accounts.models import AccessScope
from cadres.models import Locality
clerk = User.objects.create_user("canbo.laocai", password="{PASSWORD}", is_staff=True,
                                 first_name="Lan", last_name="Lò Thị")
clerk.groups.add(Group.objects.get(name="Clerks"))
AccessScope.objects.create(user=clerk, kind="locality",
                           locality=Locality.objects.get(code="15", era="current"))
manager = User.objects.create_user("lanhdao", password="{PASSWORD}", is_staff=True)
manager.groups.add(Group.objects.get(name="Managers"))
User.objects.create_superuser("quantri", "quantri@example.vn", "{PASSWORD}")
from cadres.models import Agency
Agency.objects.get_or_create(name="Ủy ban nhân dân tỉnh Quảng Ngãi",
                             locality=Locality.objects.get(code="51", era="current"),
                             defaults={{"level": "local"}})
"""
# A list naming "UBND Quảng Ngãi": the preview suggests the existing People's Committee.
NEAR_DUPLICATE_SHEET = [
    ["Mã khóa", "Họ và tên", "Năm sinh", "Giới tính", "Chức vụ", "Đơn vị công tác", "Tỉnh/thành"],
    ["K2025-04", "Đinh Văn Bình", "1988", "Nam", "Chuyên viên", "UBND Quảng Ngãi", "Quảng Ngãi"],
    ["K2025-04", "Võ Thị Lan", "1991", "Nữ", "Chuyên viên chính", "UBND Quảng Ngãi", "Quảng Ngãi"],
    ["K2025-04", "Trần Quốc Huy", "1979", "Nam", "Trưởng phòng", "Sở Ngoại vụ", "Tuyên Quang"],
    ["K2025-04", "Hà Thị Mai", "1985", "Nữ", "Chuyên viên chính", "Bộ Ngoại giao", "Trung ương"],
]


def log_in(page, username):
    page.context.clear_cookies()
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form input[type=submit]")
    page.wait_for_load_state()


def shoot(page, name):
    path = DOCS / f"screenshot-admin-{name}.png"
    page.screenshot(path=str(path))
    print(f"wrote {path.relative_to(ROOT)}")


def write_sheet(folder):
    import csv

    path = Path(folder) / "danh-sach-quang-ngai.csv"
    with open(path, "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(NEAR_DUPLICATE_SHEET)
    return path


def main():
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/screenshots.sqlite3",
            "DJANGO_DEBUG": "1",
            "TRAININGMGR_COMMAND_LANGUAGE": "en",
            "DJANGO_TASKS_BACKEND": "immediate",  # the confirmed import runs at once
        }
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "load_demo")
        manage(env, "import_spreadsheet", "courses", "tests/fixtures/courses.xlsx")
        manage(env, "shell", "-c", USERS)
        with serving(env) as base, chromium() as browser:
            page = browser.new_context(base_url=base, viewport=VIEWPORT, locale="vi-VN").new_page()
            log_in(page, "canbo.laocai")
            shoot(page, "dashboard-clerk")
            log_in(page, "lanhdao")
            shoot(page, "dashboard-manager")
            log_in(page, "quantri")
            page.goto("/admin/courses/course/")
            shoot(page, "course-list")
            page.goto("/admin/courses/course/?q=NQ26-2026-03")
            page.click("#result_list tbody tr th a")
            page.wait_for_load_state()
            page.locator("#enrolments-group").scroll_into_view_if_needed()
            shoot(page, "course-page")
            page.goto("/admin/imports/importbatch/upload/?kind=participants")
            page.set_input_files("#id_file", str(ROOT / "tests/fixtures/participants.xlsx"))
            page.click("input[name=_check]")
            page.wait_for_selector("#import-counts")
            shoot(page, "import-preview")
            page.goto("/admin/imports/importbatch/upload/?kind=participants")
            page.set_input_files("#id_file", str(write_sheet(tmp)))
            page.click("input[name=_check]")
            page.wait_for_selector("#new-agencies")
            page.select_option(".preview-suggestion select", index=1)  # the suggestion
            page.locator("#new-agencies-title").scroll_into_view_if_needed()
            shoot(page, "import-preview-suggestion")
            page.click("#confirm-import")
            page.wait_for_selector("#batch-changes")
            page.locator("#batch-changes").scroll_into_view_if_needed()
            shoot(page, "batch")


if __name__ == "__main__":
    main()

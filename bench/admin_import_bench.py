"""The admin import of a 50,000-row participants .xlsx, through Django's full request stack.

    .venv/bin/python bench/admin_import_bench.py [--rows 50000]

Builds a throwaway SQLite database (the same data as bench/import_bench.py: 500 courses, a
participants sheet with about 35,000 people), logs in a superuser with the test Client and
times the two requests a clerk makes: upload (stores the file, dry run over the whole file,
preview page) and confirm (the import, one transaction). Goal (issue 3): each well under a
minute, in one request.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import import_bench


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--people", type=int, default=35_000)
    parser.add_argument("--courses", type=int, default=500)
    args = parser.parse_args()

    import_bench.setup_django()
    import_bench.build_base(args.courses)
    sheet = import_bench.TMP / f"admin-participants-{args.rows}.xlsx"
    import_bench.write_xlsx(sheet, args.rows, args.people, args.courses)

    from django.contrib.auth.models import User
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the Client then keeps the rendered context

    from courses.models import Enrolment

    user = User.objects.create_superuser("bench", "bench@example.vn", "bench-password-1")
    client = Client()
    client.force_login(user)

    started = time.perf_counter()
    with open(sheet, "rb") as upload:
        response = client.post(
            "/admin/imports/importbatch/upload/",
            {"kind": "participants", "file": upload, "course": ""},
        )
    upload_seconds = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    result = response.context["result"]
    assert result.ok, result.error_lines()[:5]
    token = response.context["token"]

    started = time.perf_counter()
    response = client.post(f"/admin/imports/importbatch/upload/{token}/confirm/")
    confirm_seconds = time.perf_counter() - started
    assert response.status_code in (200, 302), response.status_code
    enrolments = Enrolment.objects.count()
    print(
        f"admin import of {args.rows:,} rows: upload + dry run + preview {upload_seconds:.1f} s, "
        f"confirm {confirm_seconds:.1f} s; {enrolments:,} enrolments written"
    )


if __name__ == "__main__":
    main()

"""Pictures of certificates and evaluations for docs/ (the closing note of issue 15):

    scripts/screenshots-certificates [OUTDIR]     # default: docs/

Run on purpose, never by the tests. It builds a throwaway SQLite database with the demo data
(load_demo: certificates and evaluations of the recent courses), revokes one certificate,
serves the app on a free loopback port, drives Debian's Chromium (/usr/bin/chromium,
Playwright) and writes:

- screenshot-certificate.png: page 1 of a certificate's PDF, rendered by pdftoppm
  (poppler-utils: a developer tool, not needed by the app or CI; `apt-get install
  poppler-utils`; without it this picture is skipped and the script says so);
- screenshot-certificate-job.png: the job page after issuing a course's certificates from
  the course list (progress, who was not eligible and why, the course PDF);
- screenshot-verify-valid.png, screenshot-verify-revoked.png: the public verification page
  as an anonymous visitor sees it;
- screenshot-evaluation-results.png: the results of the demo course;
- screenshot-evaluation-form.png: a participant's form at 375 px.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from shots import ROOT, chromium, manage, serving

PASSWORD = "screenshots-only-2026"
MARK = "SCREENSHOTS "

# Run in `manage.py shell`: an administrator, one certificate revoked, the answering window of
# the demo course opened wide enough for today, and what the pictures need, as one JSON line.
SETUP = f"""
import datetime, json
from django.contrib.auth.models import User
from django.utils import timezone
from certificates.demo import recent_courses
from certificates.models import Certificate
from certificates.services import revoke_certificate
from courses.models import Course, Enrolment
from evaluations.models import EvaluationWindow, Response
from evaluations.services import invitations_for

User.objects.create_superuser("quantri", "quantri@example.vn", "{PASSWORD}")
valid = Certificate.objects.filter(status="valid").order_by("-issued_on", "number").first()
revoked = (
    Certificate.objects.filter(status="valid").exclude(pk=valid.pk).order_by("-number").first()
)
revoke_certificate(revoked, reason="Cấp nhầm: học viên chưa hoàn thành bài kiểm tra cuối khóa.")
evaluated = Course.objects.filter(evaluations__isnull=False).order_by("-start_date").first()
ended = evaluated.end_date or evaluated.start_date
days = max(1, min(365, (timezone.localdate() - ended).days + 30))
EvaluationWindow.objects.update_or_create(course=evaluated, defaults={{"days": days}})
answered = set(Response.objects.values_list("invitation_id", flat=True))
unanswered = [i for i in invitations_for(evaluated) if i.pk not in answered]
issued = set(Certificate.objects.values_list("enrolment__course_id", flat=True))
to_issue = (
    Course.objects.filter(
        status=Course.Status.FINISHED, enrolments__status=Enrolment.Status.COMPLETED
    )
    .exclude(pk__in=issued).exclude(pk__in=[c.pk for c in recent_courses()])
    .distinct().order_by("-start_date", "code").first()
)
print("{MARK}" + json.dumps({{
    "valid": valid.verification_code,
    "pdf": valid.pk,
    "revoked": revoked.verification_code,
    "evaluated": evaluated.code,
    "token": unanswered[0].token if unanswered else "",
    "to_issue": to_issue.code if to_issue else "",
}}))
"""


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs").resolve()
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="screenshots-certificates-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "DJANGO_DEBUG": "1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_TASKS_BACKEND": "immediate",  # the issuing job runs in the request here
    }
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "load_demo")
    lines = manage(env, "shell", "-c", SETUP, capture=True).stdout.splitlines()
    facts = json.loads(next(line for line in lines if line.startswith(MARK))[len(MARK) :])
    try:
        with serving(env) as base:
            written = shoot(base, out, work, facts)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for path in written:
        print(path)


def shoot(base, out, work, facts):
    written = []
    with chromium() as browser:
        # The public pages, as an anonymous visitor sees them.
        public = browser.new_context(
            base_url=base, locale="vi-VN", viewport={"width": 1024, "height": 760}
        )
        page = public.new_page()
        for name in ("valid", "revoked"):
            page.goto(f"/v/{facts[name]}/")
            path = out / f"screenshot-verify-{name}.png"
            page.screenshot(path=str(path), full_page=True)
            written.append(path)
        if facts["token"]:
            page.set_viewport_size({"width": 375, "height": 812})
            page.goto(f"/e/{facts['token']}/")
            path = out / "screenshot-evaluation-form.png"
            page.screenshot(path=str(path), full_page=True)
            written.append(path)
        else:
            print("no unanswered evaluation link in the demo: form picture skipped")
        public.close()

        # Staff pages, as an administrator.
        staff = browser.new_context(
            base_url=base, locale="vi-VN", viewport={"width": 1280, "height": 900}
        )
        page = staff.new_page()
        page.goto("/admin/login/")
        page.fill("#id_username", "quantri")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_load_state()
        page.goto(f"/evaluations/?course={facts['evaluated']}")
        path = out / "screenshot-evaluation-results.png"
        page.screenshot(path=str(path), full_page=True)
        written.append(path)
        if facts["to_issue"]:
            page.goto(f"/admin/courses/course/?q={facts['to_issue']}")
            page.locator("input.action-select").first.check()
            page.select_option("select[name=action]", "issue_certificates")
            page.click("button[name=index]")
            page.wait_for_load_state()
            path = out / "screenshot-certificate-job.png"
            page.screenshot(path=str(path), full_page=True)
            written.append(path)
        pdf = page.request.get(f"/certificates/{facts['pdf']}/pdf/")
        pdf_path = work / "certificate.pdf"
        pdf_path.write_bytes(pdf.body())
        staff.close()

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print(
            "pdftoppm not found: screenshot-certificate.png skipped "
            "(a developer tool: apt-get install poppler-utils)"
        )
        return written
    target = out / "screenshot-certificate"
    subprocess.run(
        [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf_path, target],
        check=True,
    )
    written.append(target.with_suffix(".png"))
    return written


if __name__ == "__main__":
    main()

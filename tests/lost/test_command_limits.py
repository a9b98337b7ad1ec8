"""An administrator migrating years of history lifts the row and size limits for one
command-line run; the web upload keeps its limits."""

import pytest
from django.core.management.base import CommandError
from django.urls import reverse

from cadres.models import Cadre

from ..imports.helpers import command, write_csv


def long_sheet(tmp_path, n=5):
    rows = [["Mã khóa", "Họ và tên"]] + [["K2019-02", f"Người Số {i}"] for i in range(n)]
    return write_csv(tmp_path, "lich-su.csv", rows)


def test_max_rows_lifts_the_row_limit_for_that_run(courses, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 3
    path = long_sheet(tmp_path)
    code, _out, err = command("participants", path)
    assert code == 1
    assert "more than 3 rows" in err
    assert Cadre.objects.count() == 0
    code, out, err = command("participants", path, "--max-rows", "10")
    assert code == 0, err
    assert "5 rows, 5 created" in out
    assert Cadre.objects.count() == 5
    from django.conf import settings as live

    assert live.IMPORT_MAX_ROWS == 3  # only that run


def test_max_megabytes_lifts_the_size_limit_for_that_run(courses, tmp_path, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 10
    path = long_sheet(tmp_path)
    assert command("participants", path)[0] == 1
    code, out, err = command("participants", path, "--max-megabytes", "1", "--dry-run")
    assert code == 0, err
    assert "dry run" in out


def test_the_web_upload_keeps_its_limit(client, admin_user, courses, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 3
    path = long_sheet(tmp_path)
    assert command("participants", path, "--max-rows", "100", "--dry-run")[0] == 0
    client.force_login(admin_user)
    with open(path, "rb") as stream:
        page = client.post(
            reverse("admin:imports_importbatch_upload"), {"kind": "participants", "file": stream}
        )
    assert page.status_code == 200
    assert "more than 3 rows" in page.content.decode()


@pytest.mark.parametrize("bad", ["0", "-5", "many"])
def test_a_limit_that_is_not_a_positive_number_is_refused(courses, tmp_path, bad):
    with pytest.raises(CommandError):
        command("participants", long_sheet(tmp_path), "--max-rows", bad)

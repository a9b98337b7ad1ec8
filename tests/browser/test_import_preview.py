"""A Quảng Ngãi clerk previews a list in Chromium at 1366 px: the preview fits the screen, the
near-duplicate agency is offered, and choosing it maps the rows to the existing agency."""

import csv
import datetime

import pytest

from cadres.models import Agency, Level, Locality
from imports.models import ImportBatch
from tests.access.conftest import staff
from tests.admin.conftest import make_course
from tests.conftest import login

from .test_admin_layout import CONTRAST, DESKTOP, check_keyboard_and_names


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_preview_fits_1366_and_maps_a_near_duplicate_agency(page, tmp_path):
    province = Locality.objects.get(code="51", era=Locality.Era.CURRENT)
    committee = Agency.objects.create(
        name="Ủy ban nhân dân tỉnh Quảng Ngãi", level=Level.LOCAL, locality=province
    )
    make_course("QN2025-01", start=datetime.date(2025, 9, 8), locality=province)
    staff("qnclerk", "Clerks", kind="locality", locality=province)
    sheet = tmp_path / "quang_ngai.csv"
    with open(sheet, "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(
            [
                ["Mã khóa", "Họ và tên", "Năm sinh", "Đơn vị công tác", "Tỉnh/thành"],
                ["QN2025-01", "Đinh Văn Bình", "1988", "UBND Quảng Ngãi", "Quảng Ngãi"],
                ["QN2025-01", "Võ Thị Lan", "1991", "UBND Quảng Ngãi", "Quảng Ngãi"],
            ]
        )
    login(page, "qnclerk")
    page.set_viewport_size(DESKTOP)
    page.goto("/admin/imports/importbatch/upload/?kind=participants")
    page.set_input_files("#id_file", str(sheet))
    page.click("input[name=_check]")
    page.wait_for_selector("#new-agencies")
    assert "UBND Quảng Ngãi" in page.inner_text("#new-agencies")
    assert "Đinh Văn Bình" in page.inner_text("#new-people")
    assert "Quảng Ngãi" in page.inner_text("#import-matches")
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    assert page.evaluate(CONTRAST) == []
    check_keyboard_and_names(page, "preview with a suggestion")
    # Say what the preview offered (and what the database held) rather than time out on a
    # select that is not there.
    offered = page.locator(".preview-suggestion").inner_text()
    assert page.locator(f".preview-suggestion option[value='{committee.pk}']").count() == 1, (
        offered,
        list(Agency.objects.values_list("pk", "name", "locality__code", "locality__era")),
        list(Locality.objects.filter(code="51").values_list("pk", "era", "successor_id")),
    )
    page.select_option(".preview-suggestion select", str(committee.pk))
    page.click("#confirm-import")
    page.wait_for_selector("#batch-changes")
    batch = ImportBatch.objects.get()
    assert batch.details["agencies_mapped"] == {"UBND Quảng Ngãi": committee.pk}
    assert not Agency.objects.filter(name="UBND Quảng Ngãi").exists()
    assert "Đinh Văn Bình" in page.inner_text("#batch-changes")

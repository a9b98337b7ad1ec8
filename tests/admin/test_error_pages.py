"""With DEBUG off, a missing page, a refused page and a failure each get a plain Vietnamese
page in the app's style: what happened and where to go next, no English, no traceback."""

import pytest
from django.test import Client, override_settings

from .test_vietnamese_everywhere import english_in


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]


def test_a_missing_report_is_a_vietnamese_404(production, admin_client_for, admin_user):
    response = admin_client_for(admin_user).get("/reports/KHONG-CO/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Trang này không tồn tại" in html
    assert 'href="/reports/"' in html
    assert 'href="/admin/"' in html
    assert english_in(html) == []


def test_an_unknown_address_is_a_vietnamese_404_for_anyone(production, client, db):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Trang này không tồn tại" in response.content.decode()


def test_a_refused_page_is_a_vietnamese_403(production, admin_client_for, outsider):
    response = admin_client_for(outsider).get("/reports/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Bạn không được mở trang này" in html
    assert english_in(html) == []


@override_settings(ROOT_URLCONF="tests.admin.urls_with_error")
def test_a_failure_is_a_vietnamese_500_without_a_traceback(production, db):
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Đã có lỗi từ phía hệ thống" in html
    assert "RuntimeError" not in html
    assert "Traceback" not in html
    assert english_in(html) == []

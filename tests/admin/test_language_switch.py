"""The admin header switches between Vietnamese (the default) and English."""

from django.urls import reverse


def test_the_admin_is_vietnamese_first(admin_client_for, admin_user):
    html = admin_client_for(admin_user).get(reverse("admin:index")).content.decode()
    assert '<html lang="vi"' in html
    assert "Đăng xuất" in html  # "Log out", in Vietnamese
    assert f'action="{reverse("set_language")}"' in html


def test_the_header_switches_to_english_and_back(admin_client_for, admin_user):
    client = admin_client_for(admin_user)
    courses = reverse("admin:courses_course_changelist")

    response = client.post(reverse("set_language"), {"language": "en", "next": courses})

    assert response.status_code == 302
    assert response["Location"] == courses
    html = client.get(courses).content.decode()
    assert '<html lang="en"' in html
    assert "Log out" in html
    assert "Training management" in html

    client.post(reverse("set_language"), {"language": "vi", "next": courses})
    assert '<html lang="vi"' in client.get(courses).content.decode()


def test_the_switch_is_on_the_login_page(client, db):
    html = client.get(reverse("admin:login")).content.decode()
    assert 'id="language-switch"' in html

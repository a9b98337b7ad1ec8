"""ensure_admin: admin/admin for `make run` on a developer's machine, never in production."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command


def ensure_admin(*args):
    out = io.StringIO()
    call_command("ensure_admin", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def no_admin_env(monkeypatch):
    monkeypatch.delenv("DJANGO_ADMIN_USER", raising=False)
    monkeypatch.delenv("DJANGO_ADMIN_PASSWORD", raising=False)


@pytest.mark.django_db
def test_with_debug_on_it_creates_admin_admin_as_make_run_does(settings, no_admin_env):
    settings.DEBUG = True
    output = ensure_admin()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password("admin")
    assert "http://127.0.0.1:8000/admin/" in output


@pytest.mark.django_db
def test_it_prints_the_host_and_port_the_server_runs_on(settings, no_admin_env):
    settings.DEBUG = True
    assert "http://127.0.0.1:8123/admin/" in ensure_admin("--host", "127.0.0.1", "--port", "8123")
    # Once the administrator exists, the same address is given.
    assert "http://localhost:9000/admin/" in ensure_admin("--host", "localhost", "--port", "9000")
    assert "http://127.0.0.1:8080/admin/" in ensure_admin("--host", "0.0.0.0", "--port", "8080")  # noqa: S104


@pytest.mark.django_db
@pytest.mark.parametrize("password", [None, "", "admin"])
def test_with_debug_off_it_refuses_a_missing_or_default_password(
    settings, no_admin_env, monkeypatch, password
):
    settings.DEBUG = False
    if password is not None:
        monkeypatch.setenv("DJANGO_ADMIN_PASSWORD", password)
    with pytest.raises(CommandError) as refused:
        ensure_admin()
    assert "DJANGO_ADMIN_PASSWORD" in str(refused.value)
    assert "createsuperuser" in str(refused.value)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_with_debug_off_a_weak_password_is_refused(settings, no_admin_env, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setenv("DJANGO_ADMIN_PASSWORD", "12345")
    with pytest.raises(CommandError, match="too weak"):
        ensure_admin()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_with_debug_off_it_uses_the_given_password_and_does_not_print_it(
    settings, no_admin_env, monkeypatch
):
    settings.DEBUG = False
    monkeypatch.setenv("DJANGO_ADMIN_USER", "quantri")
    monkeypatch.setenv("DJANGO_ADMIN_PASSWORD", "Lo-Van-Pao-2026-strong")
    output = ensure_admin("--port", "8001")
    assert User.objects.get(username="quantri").check_password("Lo-Van-Pao-2026-strong")
    assert "Lo-Van-Pao-2026-strong" not in output
    assert ":8001/admin/" in output


@pytest.mark.django_db
def test_with_debug_off_an_existing_administrator_is_enough(settings, no_admin_env, admin_user):
    settings.DEBUG = False
    assert "An administrator exists" in ensure_admin()
    assert User.objects.count() == 1

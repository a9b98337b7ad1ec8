"""A previewed upload is private, and does not stay: confirmed, cancelled or too old, it goes."""

import io
import os
import stat
import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from imports import pending
from imports.models import ImportBatch

from ..imports.helpers import fixture

UPLOAD = reverse("admin:imports_importbatch_upload")


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "var"
    settings.IMPORT_PENDING_MAX_AGE_HOURS = 24
    return settings.DATA_DIR / "pending-uploads"


def preview(client, name="participants.xlsx"):
    with open(fixture(name), "rb") as stream:
        response = client.post(UPLOAD, {"kind": "participants", "file": stream})
    assert response.status_code == 200
    return response.context["token"]


def stored(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def age(path, hours):
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_a_preview_keeps_the_file_private(client, admin_user, courses, data_dir):
    client.force_login(admin_user)
    token = preview(client)
    assert stored(data_dir) == [f"{token}.xlsx"]
    assert mode(data_dir) == 0o700
    assert mode(data_dir / f"{token}.xlsx") == 0o600
    assert (data_dir / f"{token}.xlsx").read_bytes() == fixture("participants.xlsx").read_bytes()


def test_confirming_deletes_the_file(client, admin_user, courses, data_dir):
    client.force_login(admin_user)
    token = preview(client)
    response = client.post(reverse("admin:imports_importbatch_confirm", args=[token]))
    assert response.status_code == 302
    assert ImportBatch.objects.filter(kind="participants").count() == 1
    assert stored(data_dir) == []
    # The token is spent: confirming again is a clear "expired", not a second import.
    again = client.post(reverse("admin:imports_importbatch_confirm", args=[token]))
    assert again.status_code == 404
    assert ImportBatch.objects.filter(kind="participants").count() == 1


def test_cancelling_deletes_the_file(client, admin_user, courses, data_dir):
    client.force_login(admin_user)
    token = preview(client)
    response = client.post(reverse("admin:imports_importbatch_cancel", args=[token]))
    assert response.status_code == 302
    assert response["Location"] == f"{UPLOAD}?kind=participants"
    assert stored(data_dir) == []
    assert not ImportBatch.objects.filter(kind="participants").exists()
    confirm = client.post(reverse("admin:imports_importbatch_confirm", args=[token]))
    assert confirm.status_code == 404
    assert not ImportBatch.objects.filter(kind="participants").exists()


def test_the_preview_cancel_button_posts_to_the_cancel_address(
    client, admin_user, courses, data_dir
):
    client.force_login(admin_user)
    with open(fixture("participants.xlsx"), "rb") as stream:
        response = client.post(UPLOAD, {"kind": "participants", "file": stream})
    token = response.context["token"]
    cancel = reverse("admin:imports_importbatch_cancel", args=[token])
    assert f'formaction="{cancel}"' in response.content.decode()


def test_someone_elses_token_cannot_cancel_or_confirm(
    client, admin_user, courses, data_dir, django_user_model
):
    client.force_login(admin_user)
    token = preview(client)
    other = django_user_model.objects.create_superuser("other", "o@example.vn", "x-Pw-12345")
    client.force_login(other)
    client.post(reverse("admin:imports_importbatch_cancel", args=[token]))
    assert stored(data_dir) == [f"{token}.xlsx"]  # not in the other user's session
    confirm = client.post(reverse("admin:imports_importbatch_confirm", args=[token]))
    assert confirm.status_code == 404


def test_old_uploads_are_purged_by_the_command(admin_user, data_dir):
    old = pending.store(io.BytesIO(b"a,b\n1,2\n"))
    fresh = pending.store(io.BytesIO(b"a,b\n3,4\n"))
    age(data_dir / f"{old}.xlsx", hours=25)
    age(data_dir / f"{fresh}.xlsx", hours=23)
    out = io.StringIO()
    call_command("purge_pending_uploads", stdout=out)
    assert stored(data_dir) == [f"{fresh}.xlsx"]
    assert "Deleted 1 pending upload" in out.getvalue()
    assert pending.path(old) is None
    assert pending.path(fresh) is not None
    call_command("purge_pending_uploads", "--hours", "0", stdout=io.StringIO())
    assert stored(data_dir) == []


def test_a_new_upload_clears_out_the_old_ones(client, admin_user, courses, data_dir, settings):
    client.force_login(admin_user)
    forgotten = preview(client)
    age(data_dir / f"{forgotten}.xlsx", hours=30)
    latest = preview(client)
    assert stored(data_dir) == [f"{latest}.xlsx"]
    # The forgotten preview is now a clear "expired", not a 500.
    response = client.post(reverse("admin:imports_importbatch_confirm", args=[forgotten]))
    assert response.status_code == 404


def test_an_expired_upload_cannot_be_confirmed_even_before_a_purge(
    client, admin_user, courses, data_dir, settings
):
    settings.IMPORT_PENDING_MAX_AGE_HOURS = 2
    client.force_login(admin_user)
    token = preview(client)
    age(data_dir / f"{token}.xlsx", hours=3)
    response = client.post(reverse("admin:imports_importbatch_confirm", args=[token]))
    assert response.status_code == 404
    assert not ImportBatch.objects.filter(kind="participants").exists()
    assert stored(data_dir) == []


@pytest.mark.parametrize("token", ["../../etc/passwd", "0" * 31, "g" * 32, ""])
def test_malformed_tokens_name_no_file(data_dir, token):
    assert pending.path(token) is None
    pending.discard(token)  # nothing happens, nothing fails
    with pytest.raises(FileNotFoundError):
        pending.open(token)

"""Settings read from the environment fail loudly on bad values."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from trainingmgr.settings import INSECURE_DEFAULT_SECRET_KEY, env_bool, secret_key_from


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    with pytest.raises(ImproperlyConfigured):
        secret_key_from({}, debug=False)


def test_it_refuses_the_default_secret_key_when_debug_is_off():
    with pytest.raises(ImproperlyConfigured):
        secret_key_from({"DJANGO_SECRET_KEY": INSECURE_DEFAULT_SECRET_KEY}, debug=False)


def test_it_accepts_a_real_secret_key_in_production():
    assert secret_key_from({"DJANGO_SECRET_KEY": "x" * 50}, debug=False) == "x" * 50


def test_debug_accepts_only_clear_booleans():
    assert env_bool("DJANGO_DEBUG", True, {"DJANGO_DEBUG": "0"}) is False
    assert env_bool("DJANGO_DEBUG", False, {"DJANGO_DEBUG": "1"}) is True
    with pytest.raises(ImproperlyConfigured):
        env_bool("DJANGO_DEBUG", True, {"DJANGO_DEBUG": "maybe"})


def test_the_start_up_check_fails_with_debug_off_and_no_key(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env["DJANGO_DEBUG"] = "0"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr

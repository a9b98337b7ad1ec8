"""Fixtures of the hardening tests: personas come from tests/conftest.py and
tests/access/conftest.py; the import fixtures from tests/imports."""

from ..access.conftest import lao_cai_clerk, manager, world  # noqa: F401
from ..imports.helpers import courses  # noqa: F401

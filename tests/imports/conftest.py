from .helpers import courses  # noqa: F401

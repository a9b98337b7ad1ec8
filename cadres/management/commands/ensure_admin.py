import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

DEFAULT_USER = "admin"
# Only while DEBUG is on (make run on a developer's machine); refused otherwise.
DEFAULT_PASSWORD = "admin"  # noqa: S105


def login_url(host, port):
    """The admin's address as the server started by `make run` answers it."""
    host = (host or "127.0.0.1").strip()
    if host in {"0.0.0.0", ""}:  # noqa: S104 (a comparison: the wildcard is answered locally)
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}/admin/"


class Command(BaseCommand):
    help = (
        "Make sure an administrator account exists, and say how to log in. With DJANGO_DEBUG=0 "
        "it never creates the default password: set DJANGO_ADMIN_PASSWORD or use createsuperuser."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Host the server listens on.")
        parser.add_argument("--port", default="8000", help="Port the server listens on.")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.COMMAND_LANGUAGE,
            help="Language of the messages (default: %(default)s).",
        )

    def handle(self, *args, **options):
        # Commands speak COMMAND_LANGUAGE (English) unless asked otherwise (settings.py).
        with translation.override(options["language"]):
            self._ensure(options)

    def _ensure(self, options):
        User = get_user_model()
        url = login_url(options["host"], options["port"])
        username = os.environ.get("DJANGO_ADMIN_USER", "").strip() or DEFAULT_USER
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(
                _("An administrator exists. Log in at %(url)s with it.") % {"url": url}
            )
            return
        password = os.environ.get("DJANGO_ADMIN_PASSWORD", "")
        if not settings.DEBUG:
            self._check_production_password(username, password)
        elif not password:
            password = DEFAULT_PASSWORD
        User.objects.create_superuser(username, f"{username}@example.vn", password)
        if settings.DEBUG:
            self.stdout.write(
                _(
                    "Created the administrator %(user)s with password %(password)s. Log in at "
                    "%(url)s and change the password."
                )
                % {"user": username, "password": password, "url": url}
            )
        else:  # never echo a production password
            self.stdout.write(
                _("Created the administrator %(user)s. Log in at %(url)s.")
                % {"user": username, "url": url}
            )

    def _check_production_password(self, username, password):
        how = _(
            "Set DJANGO_ADMIN_PASSWORD to a strong password and run ensure_admin again, or "
            "create the administrator yourself: python manage.py createsuperuser"
        )
        if not password.strip():
            raise CommandError(
                _("No administrator exists and DJANGO_ADMIN_PASSWORD is not set (DEBUG is off).")
                + " "
                + how
            )
        if password == DEFAULT_PASSWORD:
            raise CommandError(
                _("DJANGO_ADMIN_PASSWORD is the default password; it is refused when DEBUG is off.")
                + " "
                + how
            )
        try:
            validate_password(password, get_user_model()(username=username))
        except ValidationError as error:
            raise CommandError(
                _("DJANGO_ADMIN_PASSWORD is too weak: %(reasons)s")
                % {"reasons": " ".join(error.messages)}
                + " "
                + how
            ) from None

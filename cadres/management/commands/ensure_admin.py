import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Make sure an administrator account exists, and say how to log in."

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("DJANGO_ADMIN_USER", "admin")
        password = os.environ.get("DJANGO_ADMIN_PASSWORD", "admin")
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(
                _("An administrator exists. Log in at http://127.0.0.1:8000/admin/ with it.")
            )
            return
        User.objects.create_superuser(username, f"{username}@example.vn", password)
        self.stdout.write(
            _(
                "Created the administrator %(user)s with password %(password)s. Log in at "
                "http://127.0.0.1:8000/admin/ and change the password."
            )
            % {"user": username, "password": password}
        )

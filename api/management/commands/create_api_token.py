"""python manage.py create_api_token USERNAME [--name NAME]: prints a new token's key (only
once: the database keeps its hash)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.models import ApiToken


class Command(BaseCommand):
    help = "Create an API token for a user and print its key."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for")

    def handle(self, username, name, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"Unknown user {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"The user {username!r} is not active.")
        _token, key = ApiToken.objects.issue(user, name=name)
        self.stdout.write(key)

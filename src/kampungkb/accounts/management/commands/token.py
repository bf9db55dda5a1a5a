"""`kampungkb token create USERNAME [--name NAME]`: print a new API token for a user."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kampungkb.accounts.errors import AccountProblem
from kampungkb.accounts.models import User
from kampungkb.accounts.services import token_create


class Command(BaseCommand):
    help = "Manage API tokens. `token create USERNAME` prints a new token (shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print it")
        create.add_argument("username")
        create.add_argument("--name", default="", help="what the token is for")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(
                AccountProblem.USER_NOT_FOUND.text("id", username=username)
                + " / "
                + AccountProblem.USER_NOT_FOUND.text("en", username=username)
            )
        _, secret = token_create(user=user, name=options["name"])
        self.stdout.write(secret)

"""`api_token create USERNAME [--name NAME] [--write] [--expires DAYS]`, `api_token list USERNAME`,
`api_token revoke ID`: personal API tokens from the command line (the same services as the page)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from commonground.accounts.tokens import create_token, is_expired, list_tokens, revoke_token


def _when(value: Any) -> str:
    return value.isoformat(timespec="minutes") if value else "-"


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="a new token, printed once on its own line")
        create.add_argument("username")
        create.add_argument("--name", default="command line")
        create.add_argument("--write", action="store_true", help="read-write (read-only otherwise)")
        create.add_argument("--expires", metavar="DAYS", help="expires after DAYS days (never by default)")
        listing = sub.add_parser("list", help="a user's tokens, with their last use")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="revoke a token by its id")
        revoke.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "revoke":
            try:
                revoked = revoke_token(options["id"], user=None)
            except Http404:
                raise CommandError(f"no active token with id {options['id']}") from None
            self.stdout.write(f"revoked {revoked.pk} ({revoked.name}) of {revoked.user.get_username()}")
            return
        user = self._user(options["username"])
        if options["action"] == "create":
            try:
                token = create_token(
                    user, name=options["name"], can_write=options["write"], expires_days=options["expires"]
                )
            except ValidationError as exc:
                raise CommandError(" ".join(str(m) for m in exc.messages)) from None
            self.stdout.write(token)
            return
        self.stdout.write("id\tname\taccess\tcreated\tlast used\texpires")
        for t in list_tokens(user):
            expires = _when(t.expires_at) + (" (expired)" if is_expired(t) else "")
            access = "read-write" if t.can_write else "read-only"
            row = (str(t.pk), t.name, access, _when(t.created_at), _when(t.last_used_at), expires)
            self.stdout.write("\t".join(row))

    def _user(self, username: str) -> Any:
        if "\x00" in username or len(username) > 150:
            raise CommandError("no such user")
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user {username!r}") from None

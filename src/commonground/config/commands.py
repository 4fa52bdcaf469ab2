"""manage.py's entry: a missing setting or an unreachable database is one clear line, not a traceback."""

from __future__ import annotations

import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.management import execute_from_command_line
from django.db import OperationalError, connection


def _database_reachable() -> bool:
    try:
        connection.ensure_connection()
    except OperationalError:
        return False
    return True


def main(argv: list[str]) -> int:
    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 1
    except OperationalError as exc:
        connection.close()
        if _database_reachable():
            raise
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(
            f"The database is unreachable (check DATABASE_URL and that it is running): {reason}",
            file=sys.stderr,
        )
        return 1
    return 0

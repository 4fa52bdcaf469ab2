"""gunicorn hooks for `make bench-load` only (`make run` keeps Django's development server)."""

from __future__ import annotations

from typing import Any


def post_worker_init(worker: Any) -> None:
    """Load the library once per worker before it serves, as a deployment would at start-up,
    instead of in every thread that happens to get the first requests."""
    from django.db import connections

    from commonground.accounts.library import library

    library()
    connections.close_all()

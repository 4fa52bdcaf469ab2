"""Loopback ports for the tests that start real servers: picked free by the system, so that two test
runs on one machine (CI runs the SQLite and the PostgreSQL suites side by side) never meet."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A port nothing listens on now (the system's choice; a later bind by the server may still race)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True

"""The production switch (COMMONGROUND_ENV=production), /healthz, server-error logging and one-line failures.

Settings are read once per process, so the production settings are tried in subprocesses.
"""

from __future__ import annotations

import io
import logging
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from commonground.config import urls as site_urls

ROOT = Path(__file__).resolve().parents[2]
CLOSED_DATABASE = "postgres://postgres@127.0.0.1:1/nowhere"  # nothing listens on port 1


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a deliberate fault for the log")


urlpatterns = [path("boom", boom), *site_urls.urlpatterns]


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    # the server's own environment: not the test run's database, key, or the browser tests' leave to
    # run database code inside Playwright's event loop (DJANGO_ALLOW_ASYNC_UNSAFE, refused by --deploy)
    left_out = ("DATABASE_URL", "SECRET_KEY", "SECRET_KEY_FILE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in left_out}
    env.update(
        COMMONGROUND_DATA_DIR=str(tmp_path / "data"), DJANGO_SETTINGS_MODULE="commonground.config.settings"
    )
    env.update(extra)
    return env


def production(tmp_path: Path, **extra: str) -> dict[str, str]:
    return environment(
        tmp_path,
        COMMONGROUND_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,testserver",
        **extra,
    )


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_under_the_production_switch(tmp_path: Path) -> None:
    done = manage(production(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr


def test_check_deploy_fails_without_the_switch(tmp_path: Path) -> None:
    done = manage(
        environment(tmp_path, SECRET_KEY=secrets.token_urlsafe(50)),
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert done.returncode != 0
    assert (
        "security.W012" in done.stderr + done.stdout
    )  # SESSION_COOKIE_SECURE: the switch is what turns it on


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = production(tmp_path)
    del env["SECRET_KEY"]
    done = manage(env, "check")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "Configuration error: COMMONGROUND_ENV=production needs a secret key: set SECRET_KEY or SECRET_KEY_FILE."
    ]
    assert not (tmp_path / "data" / "secret_key").exists()  # no key of its own made


def test_production_reads_the_secret_key_from_a_file(tmp_path: Path) -> None:
    key = tmp_path / "key"
    key.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    env = production(tmp_path, SECRET_KEY_FILE=str(key))
    del env["SECRET_KEY"]
    done = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stderr


def test_a_command_says_one_line_when_the_database_is_unreachable(tmp_path: Path) -> None:
    done = manage(environment(tmp_path, DATABASE_URL=CLOSED_DATABASE), "migrate", "--noinput")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("The database is unreachable (check DATABASE_URL")
    assert "Traceback" not in done.stderr


def test_healthz_answers_503_json_when_the_database_is_unreachable(tmp_path: Path) -> None:
    script = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code, r['Content-Type'], r.content.decode())"
    )
    env = environment(tmp_path, DATABASE_URL=CLOSED_DATABASE, ALLOWED_HOSTS="testserver")
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    status, kind, body = done.stdout.strip().split(" ", 2)
    assert (status, kind) == ("503", "application/json")
    assert '"status": "unavailable"' in body


def test_healthz_answers_ok_json(db: None) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.fixture
def request_log() -> Iterator[io.StringIO]:
    """What the django.request logger writes to standard error, caught."""
    handlers = [
        h for h in logging.getLogger("django.request").handlers if isinstance(h, logging.StreamHandler)
    ]
    assert handlers, "no stream handler on django.request"
    caught = io.StringIO()
    previous = [h.setStream(caught) for h in handlers]
    yield caught
    for handler, stream in zip(handlers, previous, strict=True):
        handler.setStream(stream)


def test_a_server_error_is_logged_with_its_traceback_when_debug_is_off(
    db: None, settings: Any, request_log: io.StringIO
) -> None:
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/boom")
    assert response.status_code == 500
    logged = request_log.getvalue()
    assert "ERROR django.request: Internal Server Error: /boom" in logged
    assert "Traceback (most recent call last)" in logged
    assert "RuntimeError: a deliberate fault for the log" in logged


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


GUNICORN = Path(sys.executable).parent / "gunicorn"


def test_gunicorn_serves_styled_pages_and_the_api_docs_under_the_production_switch(tmp_path: Path) -> None:
    env = production(tmp_path, TRUST_X_FORWARDED_PROTO="1")
    done = manage(env, "collectstatic", "--noinput")
    assert done.returncode == 0, done.stderr
    port = free_port()
    server = subprocess.Popen(
        [str(GUNICORN), "-b", f"127.0.0.1:{port}", "-w", "1", "commonground.config.wsgi:application"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                status, _, body = fetch(base + "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        assert (status, body) == (200, b'{"status": "ok", "database": "sqlite"}')

        status, headers, page = fetch(base + "/accounts/login/")
        assert status == 200
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"].split("style-src-attr")[0]
        assert headers["strict-transport-security"].startswith("max-age=31536000")
        assert "Secure" in headers["set-cookie"]
        css = re.search(rb'href="(/static/web/site\.[0-9a-f]+\.css)"', page)
        assert css, page[:500]
        status, headers, sheet = fetch(base + css.group(1).decode())
        assert (status, headers["content-type"].split(";")[0]) == (200, "text/css")
        assert b".bar" in sheet

        status, _, docs = fetch(base + "/api/docs")
        assert status == 200
        assets = re.findall(rb'(?:src|href)="(/static/ninja/[^"]+)"', docs)
        assert len(assets) >= 3
        for asset in assets:
            assert fetch(base + asset.decode())[0] == 200, asset
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=10)
    assert "Traceback" not in errors


def test_no_template_has_what_the_content_security_policy_would_block() -> None:
    """Scripts only from files (JSON data blocks are not run), no <style> elements, no on*= handlers."""
    templates = list((ROOT / "src" / "commonground").glob("*/templates/**/*.html"))
    assert len(templates) > 20
    for template in templates:
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text, flags=re.IGNORECASE):
            assert "src=" in tag or 'type="application/json"' in tag, (template, tag)
        assert not re.search(r"<style\b", text, flags=re.IGNORECASE), template
        assert not re.search(r"\son[a-z]+\s*=", text, flags=re.IGNORECASE), template
        assert "javascript:" not in text.lower(), template


def test_the_wsgi_application_freezes_what_it_loaded(tmp_path: Path) -> None:
    """Loading the application (gunicorn, `manage.py serve`) loads the shipped library once and
    moves everything then alive out of the garbage collector's scans (gc.freeze)."""
    probe = (
        "import gc, commonground.config.wsgi\n"
        "from commonground.core.library import cached_library\n"
        "print(gc.get_freeze_count(), cached_library.cache_info().currsize)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=environment(tmp_path), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    frozen, libraries = map(int, done.stdout.split())
    assert libraries == 1 and frozen > 100_000, (frozen, libraries)

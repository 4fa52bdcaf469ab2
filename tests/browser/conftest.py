"""A real headless Chromium (Debian's package) driven by Playwright, against Django's live server."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# Tests never write into tracked files: screenshots go to a temporary folder unless
# `make screenshots` (SCREENSHOTS=docs) asks for the documentation's own folder.
SCREENSHOTS = (
    DOCS_SCREENSHOTS
    if os.environ.get("SCREENSHOTS") == "docs"
    else Path(tempfile.gettempdir()) / "commonground-screenshots"
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")
        pytest.skip("Chromium is not installed (run `make test`, which installs it, as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    yield context.new_page()
    context.close()


def shoot(page: Any, name: str, *, full_page: bool = False) -> None:
    """A screenshot for people to look at (it asserts nothing). A busy machine's Chromium now and
    then answers "Unable to capture screenshot": it is asked again, up to three times."""
    from playwright.sync_api import Error

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for attempt in range(3):
        try:
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
            return
        except Error:
            if attempt == 2:
                raise
            page.wait_for_timeout(500)


from tests.browser.pages import demo_pages  # noqa: E402, F401 - the demo seeded for the crawls
from tests.web.conftest import _fast_hashing, assessment, cast  # noqa: E402, F401 - the same small cast

"""poppler-utils (pdftotext, pdfinfo, pdftoppm), with which the tests read PDFs back: installed by
`make test` (make pdf-tools, as root). Missing, a test is skipped — and fails in CI, as the browser
tests do without Chromium."""

from __future__ import annotations

import os
import shutil

import pytest


def require_poppler() -> None:
    if shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None:
        message = "poppler-utils is missing: `make test` installs it as root (make pdf-tools)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

"""HTML to PDF with WeasyPrint (decision 0031): A4, the bundled font stack, and never the network.

The system pieces WeasyPrint needs (Pango) and the font with full Vietnamese coverage (Debian's
fonts-dejavu-core) come with the project's set-up: `make pdf-tools`, run by `make run` and
`make test` as `make browser` is.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

# The font stack every PDF uses: DejaVu Sans has every Vietnamese letter and tone mark precomposed,
# so the text layer keeps "ộ" as one character a search finds.
FONT_FAMILY = '"DejaVu Sans", "Noto Sans", sans-serif'

BASE_CSS = f"""
@page {{ size: A4; margin: 16mm 14mm 18mm 14mm; }}
html {{ font-family: {FONT_FAMILY}; font-size: 9.5pt; line-height: 1.35; }}
"""

STATIC_ROOT = Path(__file__).resolve().parents[1] / "web" / "static"

logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


class RefusedFetch(ValueError):
    """A document asked for something other than a local file or inline data."""


def _allowed_roots(base_url: str | None) -> list[Path]:
    roots = [STATIC_ROOT]
    if base_url and base_url.startswith("file:"):
        base = Path(unquote(urlsplit(base_url).path))
        roots.append(base if base_url.endswith("/") else base.parent)
    return [root.resolve() for root in roots]


def _fetcher(base_url: str | None) -> Any:
    from weasyprint.urls import URLFetcher

    roots = _allowed_roots(base_url)

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        """Data URLs, and files under the static folder or the document's own folder; nothing else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if any(path.is_relative_to(root) for root in roots):
                    return super().fetch(url, headers)
            raise RefusedFetch(f"not fetched (PDFs use local files only): {url[:200]}")

    return LocalOnly(allowed_protocols=("file", "data"), allow_redirects=False)


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The PDF of an HTML document. Relative URLs resolve against `base_url` (a file: URL or a
    folder); only local files and data: URLs are ever read."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    if base_url and "://" not in base_url and not base_url.startswith("file:"):
        base_url = Path(base_url).resolve().as_uri() + "/"
    fetcher = _fetcher(base_url)
    fonts = FontConfiguration()
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    base = CSS(string=BASE_CSS, font_config=fonts, url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=[base], font_config=fonts)
    assert isinstance(pdf, bytes)
    return pdf

"""Downloads (decision 0029): a spreadsheet export, the rows a service built written by
core/spreadsheet as XLSX or as CSV with a byte-order mark; and a finished document (a report, a
state form) as a service hands it to the page, the API and the job alike."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.http import Http404, HttpResponse

from commonground.core.errors import Lang
from commonground.core.spreadsheet import CSV_TYPE, XLSX_TYPE, Sheet, csv_of, xlsx_bytes

KINDS = ("xlsx", "csv")
PDF_TYPE = "application/pdf"


@dataclass(frozen=True)
class Document:
    """A finished file: its bytes, its media type and the name it is downloaded under."""

    content: bytes
    content_type: str
    filename: str


def spreadsheet_response(sheets: Sequence[Sheet], kind: str, name: str, lang: Lang) -> HttpResponse:
    """`name.xlsx` with every sheet, or `name.csv` with the first."""
    if kind not in KINDS:
        raise Http404
    if kind == "xlsx":
        response = HttpResponse(xlsx_bytes(sheets, lang), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(csv_of(sheets[0], lang), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


def document_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A finished document (a PDF) as a download named `filename`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

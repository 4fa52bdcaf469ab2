"""html_to_pdf: Vietnamese text survives into the PDF's text layer, and nothing is fetched from the
network."""

from __future__ import annotations

import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

from commonground.common.pdf import html_to_pdf
from tests.pdf_tools import require_poppler

VIETNAMESE = "Bộ luật Lao động 2019: người lao động được trả lương đúng hạn; thời giờ làm thêm tối đa."


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    require_poppler()
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_vietnamese_reads_back_with_its_diacritics(tmp_path: Path) -> None:
    pdf = html_to_pdf(f"<html lang='vi'><body><h1>Báo cáo</h1><p>{VIETNAMESE}</p></body></html>")
    assert pdf.startswith(b"%PDF-")
    text = pdftotext(pdf, tmp_path)
    assert "Bộ luật Lao động" in text
    assert "người lao động được trả lương đúng hạn" in text
    assert "Báo cáo" in text


def test_the_font_is_embedded_and_covers_vietnamese(tmp_path: Path) -> None:
    require_poppler()
    path = tmp_path / "fonts.pdf"
    path.write_bytes(html_to_pdf(f"<p>{VIETNAMESE}</p>"))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    dejavu = [line for line in fonts.splitlines() if "DejaVu" in line]
    assert dejavu, fonts
    assert all(line.split()[-5] == "yes" for line in dejavu), fonts  # embedded


class _Counter(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        _Counter.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"p { color: red }")

    def log_message(self, *args: object) -> None:
        pass


def test_no_network_ever(tmp_path: Path) -> None:
    server = HTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        html = (
            f"<link rel='stylesheet' href='{url}/a.css'><style>@import url('{url}/b.css');</style>"
            f"<p>ok</p><img src='{url}/c.png'><img src='file:///etc/passwd'>"
        )
        pdf = html_to_pdf(html)
        pdf_with_base = html_to_pdf(html, base_url=url + "/")
    finally:
        server.shutdown()
        server.server_close()
    assert _Counter.hits == []
    assert "ok" in pdftotext(pdf, tmp_path)
    assert pdf_with_base.startswith(b"%PDF-")


def test_local_files_under_the_base_are_read(tmp_path: Path) -> None:
    (tmp_path / "style.css").write_text("p.x::after { content: 'từ tệp'; }", encoding="utf-8")
    pdf = html_to_pdf(
        "<link rel='stylesheet' href='style.css'><p class='x'>Nội dung </p>", base_url=str(tmp_path)
    )
    assert "từ tệp" in pdftotext(pdf, tmp_path)

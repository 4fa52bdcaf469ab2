"""Writes the sample files of the shipped import profiles.

Run: python -m commonground.samples.imports.make_samples

Each sample is our own small file in the shape of a source (an SLCP-style workbook, a Higg-style
CSV, a brand audit sheet): the keys, labels, facilities and figures are invented; no question
wording of any scheme is copied.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

SLCP_ROWS: list[tuple[str, str, str, Any]] = [
    ("1.1", "fp-bi-1", "Facility name", "Công ty TNHH May Sông Lam (fictional)"),
    ("1.2", "fp-bi-2", "Address", "Lô B4, KCN Nam Cấm, Nghệ An"),
    ("1.3", "fp-bi-3", "Workers in total", "1.240"),
    ("1.4", "fp-bi-4", "Women workers", 930),
    ("1.5", "fp-bi-5", "Migrant workers", 410),
    ("1.6", "fp-bi-6", "Phone", "0238 000 000"),
    ("1.7", "fp-bi-7", "Inside an industrial zone", "Có"),
    ("1.8", "fp-rp-1", "Reporting period from", "01/01/2026"),
    ("1.9", "fp-rp-2", "Reporting period to", "31/12/2026"),
    ("2.1", "fp-pr-1", "Process: cutting", "X"),
    ("2.2", "fp-pr-2", "Process: sewing", "X"),
    ("2.3", "fp-pr-3", "Process: printing", None),
    ("2.4", "fp-pr-4", "Process: embroidery", "x"),
    ("2.5", "fp-pr-5", "Process: washing", "Không"),
    ("3.1", "wh-ot-1", "Highest overtime in one month (h)", "38,5"),
    ("3.2", "wh-ot-2", "Overtime in the year (h)", 280),
    ("3.3", "wh-ot-3", "Overtime is voluntary", "Yes"),
    ("3.4", "wh-ot-4", "Peak season notes", "Tháng 3–5 và 9–11"),
    ("3.5", "wh-rd-1", "A 24-hour rest each week", "Có"),
    ("4.1", "wb-mw-1", "Lowest base wage per month", "4.980.000 đ"),
    ("4.2", "wb-mw-2", "Lowest take-home pay per month", "5.600.000"),
    ("4.3", "wb-ps-1", "Payslips given", "Có"),
    ("4.4", "wb-bt-1", "Paid by bank transfer", 0.96),  # a percentage cell
    ("5.1", "hs-fs-1", "Evacuation drills in the year", 2),
    ("5.2", "hs-fs-2", "Date of the last drill", "15/10/2026"),
    ("5.3", "hs-fs-3", "Exits unlocked during work", "Có"),
    ("5.4", "hs-tr-1", "Workers trained in safety", "85 %"),
    ("6.1", "gr-ch-1", "Grievance channels", "union | hotline | suggestion_box"),
]

HIGG_ROWS: list[tuple[str, str, str, str]] = [
    ("site-name", "Site name", "Tan Phu Textile Dyeing Co. (fictional)", ""),
    ("site-country", "Country", "Vietnam", ""),
    ("rpt-start", "Reporting year start", "01/01/2025", ""),
    ("rpt-end", "Reporting year end", "31/12/2025", ""),
    ("ems-pol-1", "Environmental policy in place", "Yes", ""),
    ("ems-leg-1", "Legal register kept", "Partial", ""),
    ("ems-iso-1", "ISO 14001 certificate", "No", ""),
    ("nrg-trk-1", "Energy sources tracked monthly", "Yes", ""),
    ("nrg-use-elec", "Grid electricity used", "1,850", "MWh"),
    ("nrg-use-solar", "Solar electricity generated on site", "120,000", "kWh"),
    ("nrg-use-diesel", "Diesel used", "2,400", "US gallons"),
    ("nrg-re-share", "Renewable share of energy", "0.06", ""),
    ("nrg-use-steam-cost", "Purchased steam cost", "1,200,000,000", "VND"),
    ("wat-trk-1", "Water sources tracked", "Partial", ""),
    ("wat-use-muni", "Municipal water used", "185,000", "Cubic meters"),
    ("wat-use-ground", "Groundwater used", "N/A", ""),
    ("wat-rec-share", "Share of water recycled", "0.12", ""),
    ("wat-note-1", "Water remarks", "Bể chứa nước mưa đang xây", ""),
    ("wst-haz-1", "Hazardous waste", "42.5", "Tonnes"),
    ("wst-reg-1", "Hazardous waste register", "Yes", ""),
    ("chm-inv-1", "Chemical inventory complete", "Yes", ""),
    ("chm-mrsl-1", "Restricted substances policy", "Partial", ""),
]

AUDIT_ROWS: list[tuple[str, Any, str]] = [
    ("Factory name", "Xưởng may Bình Minh (fictional)", ""),
    ("Period from", dt.date(2025, 7, 1), ""),
    ("Period to", "30/06/2026", ""),
    ("Auditor name", "A. Nguyen", ""),
    ("Youngest worker age (years)", 18, "Checked 40 files"),
    ("Age checked at hiring", "Có", "CCCD copies on file"),
    ("ID documents kept by employer", "Không", ""),
    ("Share of workers with written contract", "0,98", "3 new hires pending"),
    ("Max overtime in a month (hours)", "42", "March peak"),
    ("Lowest monthly base wage (VND)", "4.800.000 VNĐ", ""),
    ("Chemical inventory kept", "Một phần", "Sewing oils missing"),
    ("Fire drills in the last 12 months", 1, ""),
    ("Union present", "Có", ""),
    ("Pay form", "Lương sản phẩm", ""),
    ("Canteen hygiene", "Tốt", "Not in the profile: skipped"),
    ("Overall rating", "B", ""),
]


def write_slcp(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Data Collection"
    ws.append(["Facility data collection — sample (fictional)"])
    ws.append(["No.", "Question Key", "Question", "Response", "Comment"])
    for number, key, label, answer in SLCP_ROWS:
        ws.append([number, key, label, answer, None])
        if key == "wb-bt-1":
            ws.cell(ws.max_row, 4).number_format = "0%"
    wb.save(path)


def higg_text() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["RefID", "Question", "Response", "Unit", "Comment"])
    for key, label, answer, unit in HIGG_ROWS:
        writer.writerow([key, label, answer, unit, ""])
    return out.getvalue()


def write_audit(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Audit"
    ws.append(["Question", "Answer", "Comment"])
    for question, answer, comment in AUDIT_ROWS:
        ws.append([question, answer, comment or None])
    wb.save(path)


def main() -> None:
    write_slcp(HERE / "slcp-style-workbook.xlsx")
    (HERE / "higg-style-fem.csv").write_text(higg_text(), encoding="utf-8")
    write_audit(HERE / "brand-audit-sheet.xlsx")


if __name__ == "__main__":
    main()

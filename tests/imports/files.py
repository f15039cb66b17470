"""Import files for tests, built as a village would: with openpyxl (optionally from
the app's own template, marks and all) or as CSV text."""

import csv
import io
import re

import openpyxl
from openpyxl.workbook.defined_name import DefinedName

from crm.imports.kinds import KINDS, MARK_NAME
from tests.helpers import text_of


def phone(n: int) -> str:
    """A distinct valid mobile number, written as people write them."""
    return f"0812-{3000 + n // 10000:04d}-{n % 10000:04d}"


def stored(number: str) -> str:
    """A number as the app stores it (62…)."""
    return "62" + number.replace("-", "")[1:]


def table(kind: str, rows: list[dict]) -> list[list]:
    """Heading row and data rows of ``kind`` from dicts keyed by heading."""
    headings = KINDS[kind].headings
    return [headings] + [[row.get(h, "") for h in headings] for row in rows]


def xlsx(kind: str, rows: list[dict], mark: str | None = "own", merge: str | None = None,
         cells: dict | None = None) -> bytes:
    """An XLSX file of ``kind``; ``mark`` "own" gives the kind's template mark, None
    none, any other text that mark. ``cells`` sets cells by reference after the
    rows (numbers, dates, formulas); ``merge`` merges a range."""
    book = openpyxl.Workbook()
    sheet = book.active
    for values in table(kind, rows):
        sheet.append(values)
    for ref, value in (cells or {}).items():
        sheet[ref] = value
    if merge:
        sheet.merge_cells(merge)
    if mark:
        text = KINDS[kind].mark if mark == "own" else mark
        book.defined_names[MARK_NAME] = DefinedName(MARK_NAME, attr_text=f'"{text}"')
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(kind: str, rows: list[dict], delimiter: str = ",") -> bytes:
    """A CSV file of ``kind`` as Excel saves it (UTF-8 with a byte-order mark)."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(table(kind, rows))
    return ("\ufeff" + out.getvalue()).encode()


def member(n: int, group: str = "Ladu Ketan RW 09", **more) -> dict:
    return {"Nama Kelompok": group, "Nama Anggota": f"Anggota {n}",
            "HP Anggota": phone(n), **more}


def upload(browser, village, kind, data, name="data.xlsx"):
    """Send a file to the village's import page; returns the response."""
    return browser.submit(f"/impor/desa/{village.id}",
                          {"kind": kind, "file": (io.BytesIO(data), name)},
                          content_type="multipart/form-data")


def preview_counts(response) -> dict:
    """The four counts at the top of a preview page."""
    html = response.get_data(as_text=True)
    return {name: int(re.search(rf'id="jumlah-{name}">(\d+)<', html).group(1))
            for name in ("baru", "diubah", "sama", "salah")}


def previewed(browser, village, kind, data, name):
    """Upload a file and open its preview."""
    sent = upload(browser, village, kind, data, name)
    assert sent.status_code == 302, text_of(sent)
    return browser.get(sent.headers["Location"])


def save(browser, page):
    """Press "Simpan" on a preview page."""
    url = page.request.path
    return browser.submit(f"{url}/simpan", page=url)

"""Blank import templates, built from a kind's columns (pure: kind in, bytes out).

The XLSX template has the data sheet (headings only, phone and SKU columns formatted
as text so Excel keeps their digits) and a "Petunjuk" sheet with what to write in
each column and example rows. Its workbook name :data:`crm.imports.kinds.MARK_NAME`
says which kind and version it is. The CSV template has the same headings."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName

from crm.imports.kinds import MARK_NAME, Kind
from crm.web.i18n import gettext as _
from crm.web.spreadsheets import csv_text

DATA_SHEET = "Data"
HELP_SHEET = "Petunjuk"
TEXT_FIELDS = ("phone", "member_phone", "sku", "rw", "rt")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def template_xlsx(kind: Kind) -> bytes:
    """The kind's XLSX template."""
    book = Workbook()
    data = book.active
    data.title = DATA_SHEET
    data.append(kind.headings)
    for index, column in enumerate(kind.columns, start=1):
        letter = get_column_letter(index)
        data[f"{letter}1"].font = _BOLD
        data.column_dimensions[letter].width = max(14, len(column.heading) + 4)
        if column.field in TEXT_FIELDS:
            data.column_dimensions[letter].number_format = "@"
    data.freeze_panes = "A2"
    _help_sheet(book.create_sheet(HELP_SHEET), kind)
    book.defined_names[MARK_NAME] = DefinedName(MARK_NAME, attr_text=f'"{kind.mark}"')
    book.properties.title = str(kind.title)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _help_sheet(sheet, kind: Kind) -> None:
    rows = [
        [_("Petunjuk impor: %(kind)s", kind=kind.title)],
        [_("1. Isi lembar \"%(sheet)s\": satu baris per data, mulai baris 2. Judul kolom "
           "jangan diubah; urutan kolom boleh berbeda.", sheet=DATA_SHEET)],
        [_("2. Jangan menggabungkan sel (merge) dan jangan memakai rumus: tulis nilainya.")],
        [_("3. Kolom bertanda wajib harus diisi. Sel kosong pada data yang sudah ada "
           "berarti tidak diubah.")],
        [_("4. Data yang sudah ada dikenali dan tidak dibuat dua kali: mengimpor berkas "
           "yang sama lagi tidak menambah apa-apa, berkas yang dibetulkan mengubah yang "
           "berbeda saja.")],
        [_("5. Simpan sebagai .xlsx (atau .csv), unggah, periksa pratinjau, lalu tekan "
           "Simpan.")],
        [],
        [_("Kolom"), _("Wajib"), _("Cara mengisi"), _("Contoh")],
    ]
    heading_row = len(rows)
    rows += [[column.heading, _("wajib") if column.required else "", str(column.help),
              column.example] for column in kind.columns]
    rows += [[], [_("Contoh baris (salin ke lembar \"%(sheet)s\" bila cocok):",
                    sheet=DATA_SHEET)], kind.headings]
    examples_row = len(rows)
    rows += [list(example) for example in kind.examples]
    for values in rows:
        sheet.append(values)
    for cell in (sheet["A1"], *sheet[heading_row], *sheet[examples_row]):
        cell.font = _BOLD
    for row in sheet.iter_rows(min_row=heading_row + 1, max_row=heading_row + len(kind.columns)):
        row[2].alignment = _WRAP
    for letter, width in (("A", 28), ("B", 10), ("C", 70), ("D", 24)):
        sheet.column_dimensions[letter].width = width


def template_csv(kind: Kind) -> str:
    """The kind's CSV template: its headings (UTF-8 with a byte-order mark)."""
    return csv_text([kind.headings])

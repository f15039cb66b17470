"""One row of an imported file, read cell by cell the way Indonesian spreadsheets
write things: rupiah as "1.250.000" or "Rp1.250.000,00", dates as "25/12/2026" or
Excel's day numbers, phones that Excel may have turned into "6,28123E+12". Every
problem is written down as "Baris 7, kolom HP Anggota: …" and the row goes on being
read, so that the preview shows all of a row's problems at once."""

import re
from datetime import date, datetime, timedelta

from crm.text.money import RupiahError, parse_rupiah
from crm.text.phones import PhoneError, normalise_phone
from crm.web.i18n import gettext as _
from crm.web.i18n import lazy_gettext as _l

# Excel counts days from 30 December 1899 (its 1900 leap-year bug included).
EXCEL_EPOCH = date(1899, 12, 30)
FIRST_YEAR, LAST_YEAR = 1950, 2100
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_WHOLE = re.compile(r"^\d+$")
_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
# "1,250,000": thousands grouped the English way (a decimal comma to parse_rupiah).
_ENGLISH_GROUPS = re.compile(r"^(?:rp\.?\s*)?\d{1,3}(?:,\d{3}){2,}$", re.IGNORECASE)
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S",
                 "%d/%m/%y")
_YES = {"ya", "y", "yes", "1", "true", "benar", "iya"}
_NO = {"tidak", "t", "no", "n", "0", "false", "salah", "tdk", "bukan"}
_MONEY_REASONS = {
    "negative": _l("jumlah tidak boleh minus."),
    "decimal": _l("rupiah tanpa sen: tulis 1.250.000 atau 1.250.000,00."),
    "too_large": _l("jumlah terlalu besar."),
}


class RowReader:
    """The cells of one data row by field, and the problems found so far."""

    def __init__(self, number: int, cells: dict[str, str], headings: dict[str, str]):
        self.number = number
        self.cells = cells
        self.headings = headings  # field → the heading as the file writes it
        self.errors: list[str] = []

    def text(self, field: str, limit: int | None = None, required: bool = False) -> str:
        """The cell as text (spaces tidied); too long or missing (when ``required``)
        is a problem."""
        value = " ".join((self.cells.get(field) or "").split())
        if required and not value:
            self.problem(field, _("wajib diisi."))
        elif limit is not None and len(value) > limit:
            self.problem(field, _("terlalu panjang: paling banyak %(max)d karakter.",
                                  max=limit))
            return value[:limit]
        return value

    def problem(self, field: str | None, reason: str) -> None:
        """Write down a problem of the row's ``field`` cell (or of the whole row)."""
        if field is None:
            self.errors.append(_("Baris %(row)d: %(reason)s", row=self.number,
                                 reason=reason))
        else:
            self.errors.append(_("Baris %(row)d, kolom %(column)s: %(reason)s",
                                 row=self.number, column=self.headings.get(field, field),
                                 reason=reason))

    def phone(self, field: str, required: bool = False) -> str | None:
        """A phone number as ``62…`` digits. Excel's scientific notation has lost the
        last digits: the user must format the column as text and type them again."""
        value = self.text(field, required=required)
        if not value:
            return None
        if _SCIENTIFIC.match(value):
            self.problem(field, _(
                "nomor \"%(value)s\" ditulis Excel sebagai angka ilmiah dan angka "
                "belakangnya hilang. Format kolom ini sebagai Teks, ketik ulang nomornya, "
                "lalu unggah lagi.", value=value))
            return None
        try:
            return normalise_phone(value)
        except PhoneError:
            self.problem(field, _("nomor HP \"%(value)s\" tidak dikenali (contoh: "
                                  "0812-3456-7890).", value=value))
            return None

    def money(self, field: str, required: bool = False) -> int | None:
        """Whole rupiah (:func:`crm.text.money.parse_rupiah`)."""
        value = self.text(field, required=required)
        if not value:
            return None
        if _ENGLISH_GROUPS.match(value):
            self.problem(field, _("tulis ribuan dengan titik: %(fixed)s, bukan "
                                  "\"%(value)s\".", fixed=value.replace(",", "."),
                                  value=value))
            return None
        try:
            return parse_rupiah(value)
        except RupiahError as error:
            known = _MONEY_REASONS.get(error.reason)
            reason = str(known) if known is not None else _(
                "\"%(value)s\" bukan jumlah rupiah (contoh: 1.250.000).", value=value)
            self.problem(field, reason)
            return None

    def whole(self, field: str, low: int, high: int) -> int | None:
        """A whole number between ``low`` and ``high`` ("1.000" is a thousand)."""
        value = self.text(field)
        if not value:
            return None
        if _WHOLE.match(value) or _GROUPED.match(value):
            number = int(value.replace(".", ""))
            if low <= number <= high:
                return number
        self.problem(field, _("isi bilangan bulat %(low)d sampai %(high)d, bukan "
                              "\"%(value)s\".", low=low, high=high, value=value))
        return None

    def day(self, field: str) -> date | None:
        """A date: 25/12/2026, 25-12-2026, 2026-12-25, an Excel date cell or Excel's
        day number (46381) when the cell lost its date format."""
        value = self.text(field)
        if not value:
            return None
        found = None
        if _WHOLE.match(value) and len(value) <= 6:
            found = EXCEL_EPOCH + timedelta(days=int(value))
        else:
            for pattern in _DATE_FORMATS:
                try:
                    found = datetime.strptime(value, pattern).date()
                    break
                except ValueError:
                    continue
        if found is None or not FIRST_YEAR <= found.year <= LAST_YEAR:
            self.problem(field, _("tanggal \"%(value)s\" tidak dikenali (contoh: "
                                  "25/12/2026).", value=value))
            return None
        return found

    def yes_no(self, field: str) -> bool | None:
        """Ya/Tidak (also Y/T, 1/0, TRUE/FALSE); None when the cell is empty."""
        value = self.text(field).lower()
        if not value:
            return None
        if value in _YES:
            return True
        if value in _NO:
            return False
        self.problem(field, _("isi Ya atau Tidak, bukan \"%(value)s\".", value=value))
        return None

    def choice(self, field: str, words: dict[str, str]) -> str | None:
        """One of ``words`` (the word as written, any case → the stored code)."""
        value = self.text(field).lower()
        if not value:
            return None
        if value in words:
            return words[value]
        self.problem(field, _("pilih salah satu: %(words)s; bukan \"%(value)s\".",
                              words=", ".join(dict.fromkeys(words)), value=value))
        return None

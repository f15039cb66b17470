"""What partnership letters say, and the parts their two kinds share.

The offer of cooperation (Surat Penawaran Kerja Sama, built by
:mod:`crm.documents.offer_letter`) and the cooperation agreement (Perjanjian Kerja
Sama, :mod:`crm.documents.agreement_letter`) are filled from the dataclasses here;
the Indonesian wording of dates and periods and the signature blocks are shared.

Pure data and layout: no database and no request. Letters are always in Indonesian.
Every piece of user text goes through :func:`~crm.documents.style.safe_text` before
it reaches a Paragraph, so a name such as ``<img src="http://…">`` or ``<font
color=red>`` is printed literally and reportlab never fetches anything.
"""

from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_date
from num2words import num2words
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from crm.documents.letterhead import Letterhead
from crm.documents.style import SIGNATURE_SPACE, day_text, para, safe_text

DEFAULT_OFFER_SUBJECT = "Penawaran Kerja Sama Penyediaan Makanan Ringan Lokal"


@dataclass
class Signatory:
    """Who signs: ``position`` (may span lines), ``name``, and an optional NIP line."""

    position: str
    name: str
    id_line: str = ""


@dataclass
class PartnerParty:
    """The institution: its name and unit, address, and the contact who acts for it."""

    institution: str
    address: str = ""
    unit: str = ""
    contact_name: str = ""
    contact_position: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.institution}, {self.unit}" if self.unit else self.institution


@dataclass
class GroupParty:
    """A producer group: its name, chair, address and products."""

    name: str
    chair_name: str = ""
    address: str = ""
    products: list[str] = field(default_factory=list)


@dataclass
class OfferLetter:
    """A letter offering cooperation to an institution, from the village.

    ``signer`` is the officer who signs (then the village head signs under
    "Mengetahui"); without one the village head signs alone.
    """

    letterhead: Letterhead
    number: str
    place: str
    day: date
    village_name: str  # "Desa Katapang"
    recipient: PartnerParty
    groups: list[GroupParty]
    head: Signatory
    title: str = ""
    subject: str = DEFAULT_OFFER_SUBJECT
    scope: str = ""
    price_terms: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    signer: Signatory | None = None
    nature: str = "Biasa"
    attachment: str = "-"
    copies_to: list[str] = field(default_factory=list)


@dataclass
class AgreementLetter:
    """A cooperation agreement between an institution (PIHAK PERTAMA) and one or more
    producer groups (PIHAK KEDUA), known to the village head."""

    letterhead: Letterhead
    number: str
    day: date
    village_name: str  # "Desa Katapang"
    place_full: str  # "Desa Katapang, Kecamatan Katapang, Kabupaten Bandung"
    title: str
    first: PartnerParty
    second: list[GroupParty]
    head: Signatory
    scope: str = ""
    price_terms: str = ""
    starts_on: date | None = None
    ends_on: date | None = None


# --- formatting ---------------------------------------------------------------------


def words_id(n: int) -> str:
    """A number in Indonesian words (``23`` → ``dua puluh tiga``)."""
    return num2words(n, lang="id")


def agreement_day_words(day: date) -> str:
    """``Senin tanggal dua puluh tiga bulan November tahun dua ribu dua puluh enam``:
    how an agreement states the day it was made ("Pada hari ini …")."""
    weekday = format_date(day, "EEEE", locale="id")
    month = format_date(day, "MMMM", locale="id")
    return (f"{weekday} tanggal {words_id(day.day)} bulan {month} "
            f"tahun {words_id(day.year)}")


def period_id(starts_on: date | None, ends_on: date | None) -> str:
    """``sejak tanggal 1 Desember 2026 sampai dengan tanggal 30 November 2027``."""
    if starts_on is None:
        return "sejak ditandatangani untuk waktu yang tidak ditentukan"
    text = f"sejak tanggal {day_text(starts_on)}"
    if ends_on is None:
        return text + " untuk waktu yang tidak ditentukan"
    return text + f" sampai dengan tanggal {day_text(ends_on)}"


def sentence(text: str) -> str:
    """First letter up, a full stop at the end (``str.capitalize`` would lower the
    month names)."""
    return text[:1].upper() + text[1:] + "."


def signature_rows(blocks, styles, widths) -> Table:
    """Signature blocks side by side, one row of blocks after another; each block is
    ``(title markup, name, id line, middle)`` or None for an empty place. Titles,
    signing space and names are separate table rows, so the names of blocks side by
    side stand on one line even when one title is longer."""
    rows, spaces = [], []
    for line in blocks:
        titles, middles, names = [], [], []
        for block in line:
            if block is None:
                titles.append("")
                middles.append("")
                names.append("")
                continue
            title, name, id_line, middle = block
            titles.append(Paragraph(title, styles["center"]))
            middles.append(middle if middle is not None else "")
            shown = safe_text(name) if (name or "").strip() else "(" + "." * 40 + ")"
            name_flow = [Paragraph(f"<u><b>{shown}</b></u>", styles["center"])]
            if id_line:
                name_flow.append(para(id_line, styles["center"]))
            names.append(name_flow)
        spaces.append(len(rows) + 1)
        rows += [titles, middles, names]
    style = [("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    for n in spaces:
        style.append(("VALIGN", (0, n), (-1, n), "MIDDLE"))
        if n > 1:  # room between one row of signatures and the next
            style.append(("TOPPADDING", (0, n - 1), (-1, n - 1), 7 * mm))
    heights = [SIGNATURE_SPACE if n in spaces else None for n in range(len(rows))]
    table = Table(rows, colWidths=widths, rowHeights=heights, hAlign="CENTER")
    table.setStyle(TableStyle([
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        *style,
    ]))
    return table

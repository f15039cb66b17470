"""Partnership letters as PDF: the offer of cooperation (Surat Penawaran Kerja Sama)
and the cooperation agreement (Perjanjian Kerja Sama).

Pure builders: plain dataclasses in, A4 PDF bytes out, no database and no request.
Letters are always in Indonesian. Every piece of user text goes through
:func:`~crm.documents.letterhead.safe_text` before it reaches a Paragraph, so a name
such as ``<img src="http://…">`` or ``<font color=red>`` is printed literally and
reportlab never fetches anything.
"""

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

from babel.dates import format_date
from num2words import num2words
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from crm.documents.letterhead import Letterhead, letterhead_flowables, safe_text
from crm.text.dates import letter_date_id

# Margins of an official Indonesian letter (tata naskah dinas): wide binding margin
# on the left, the kop close to the top edge.
LEFT, RIGHT, TOP, BOTTOM = 30 * mm, 20 * mm, 12 * mm, 20 * mm
WIDTH = A4[0] - LEFT - RIGHT
SIGNATURE_SPACE = 19 * mm
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


def day_id(day: date) -> str:
    """``23 November 2026``."""
    return format_date(day, "d MMMM y", locale="id")


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
    text = f"sejak tanggal {day_id(starts_on)}"
    if ends_on is None:
        return text + " untuk waktu yang tidak ditentukan"
    return text + f" sampai dengan tanggal {day_id(ends_on)}"


def _sentence(text: str) -> str:
    """First letter up, a full stop at the end (``str.capitalize`` would lower the
    month names)."""
    return text[:1].upper() + text[1:] + "."


def _styles() -> dict:
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10.5, leading=14,
                          alignment=TA_JUSTIFY, spaceAfter=4)
    return {
        "body": body,
        "left": ParagraphStyle("left", parent=body, alignment=TA_LEFT, spaceAfter=0),
        "right": ParagraphStyle("right", parent=body, alignment=2, spaceAfter=0),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER, spaceAfter=0),
        "title": ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=13,
                                leading=17, alignment=TA_CENTER, spaceAfter=0),
        "article": ParagraphStyle("article", parent=body, fontName="Helvetica-Bold",
                                  alignment=TA_CENTER, spaceBefore=6, spaceAfter=2,
                                  keepWithNext=1),
        "item": ParagraphStyle("item", parent=body, leftIndent=9 * mm, bulletIndent=0,
                               spaceAfter=3),
        "indent": ParagraphStyle("indent", parent=body, leftIndent=9 * mm),
        "place": ParagraphStyle("place", parent=body, alignment=TA_LEFT, spaceAfter=0,
                                leftIndent=8 * mm),
        "party": ParagraphStyle("party", parent=body, leftIndent=7 * mm, spaceBefore=2),
        "small": ParagraphStyle("small", parent=body, fontSize=9.5, leading=12,
                                alignment=TA_LEFT, spaceAfter=0),
        "copy": ParagraphStyle("copy", fontName="Helvetica", fontSize=9.5, leading=12,
                               leftIndent=5 * mm),
        "stamp": ParagraphStyle("stamp", fontName="Helvetica", fontSize=8, leading=10,
                                alignment=TA_CENTER, textColor=colors.HexColor("#4b5563")),
    }


def _p(text, style) -> Paragraph:
    """User or computed text as a Paragraph: always escaped, never markup."""
    return Paragraph(safe_text(text), style)


def _grid(rows, widths, style=None) -> Table:
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 0.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
        *(style or []),
    ]))
    return table


def _facts(pairs, styles, label_width=24 * mm, width=WIDTH, marker: str = "") -> Table:
    """``Label : value`` lines with the colons under each other; ``marker`` (``1.``)
    stands before the first line, the others are indented like it."""
    lead = 7 * mm if marker else 0
    rows = []
    for n, (label, value) in enumerate(pairs):
        row = [_p(label, styles["left"]), _p(":", styles["left"]), _p(value, styles["left"])]
        if marker:
            row.insert(0, _p(marker if n == 0 else "", styles["left"]))
        rows.append(row)
    widths = [label_width, 4 * mm, width - lead - label_width - 4 * mm]
    return _grid(rows, [lead, *widths] if marker else widths)


def _signature_rows(blocks, styles, widths) -> Table:
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
                name_flow.append(_p(id_line, styles["center"]))
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


def _footer(label: str):
    """Page callback: the letter number and page on every page (plain canvas text,
    never parsed as markup)."""

    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.HexColor("#4b5563"))
        canvas.drawCentredString(LEFT + WIDTH / 2, BOTTOM / 2,
                                 f"{label} · halaman {doc.page}")
        canvas.restoreState()

    return draw


def _blank(canvas, doc) -> None:
    """Nothing extra on the page."""


def _render(story, title: str, footer: str, first_page: bool = True,
            bottom: float = BOTTOM) -> bytes:
    """Build the PDF; ``footer`` goes on every page, or from page 2 on when
    ``first_page`` is false (a one-page letter carries no page number)."""
    out = BytesIO()
    pdf = SimpleDocTemplate(out, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT,
                            topMargin=TOP, bottomMargin=bottom, title=title,
                            author="MRSE CRM", creator="MRSE CRM")
    draw = _footer(footer)
    pdf.build(story, onFirstPage=draw if first_page else _blank, onLaterPages=draw)
    return out.getvalue()


def _group_line(group: GroupParty) -> str:
    """``<b>Ladu Ketan</b>, ketua Ibu Sari, …; produk: …`` with every part escaped."""
    text = f"<b>{safe_text(group.name)}</b>"
    if group.chair_name:
        text += f", ketua {safe_text(group.chair_name)}"
    if group.address:
        text += f", alamat {safe_text(' '.join(group.address.split()))}"
    if group.products:
        text += f"; produk: {safe_text(', '.join(group.products))}"
    return text + "."


# --- offer letter -------------------------------------------------------------------


def build_offer_letter_pdf(letter: OfferLetter) -> bytes:
    """The Surat Penawaran Kerja Sama as A4 PDF bytes."""
    s = _styles()
    story = letterhead_flowables(letter.letterhead, WIDTH)
    story += [_p(letter_date_id(letter.day, letter.place), s["right"]), Spacer(1, 3 * mm)]
    # The classic layout: Nomor … Perihal on the left, the addressee on the right.
    left = WIDTH * 0.55
    facts = _facts([
        ("Nomor", letter.number),
        ("Sifat", letter.nature),
        ("Lampiran", letter.attachment),
        ("Perihal", letter.subject),
    ], s, label_width=20 * mm, width=left - 4 * mm)
    to = letter.recipient
    lines = ["Kepada Yth."]
    if to.contact_name:
        lines.append(f"Bapak/Ibu {to.contact_name}")
    if to.contact_position:
        lines.append(to.contact_position)
    lines.append(to.full_name)
    if to.address:
        lines.append(" ".join(to.address.split()))
    addressee = [_p(line, s["left"]) for line in lines]
    addressee += [_p("di", s["left"]), _p("Tempat", s["place"])]
    story.append(_grid([[facts, addressee]], [left, WIDTH - left]))
    story.append(Spacer(1, 6 * mm))

    institution = safe_text(to.full_name)
    village = safe_text(letter.village_name)
    story.append(_p("Dengan hormat,", s["body"]))
    story.append(Paragraph(
        f"Dalam rangka mendukung pemberdayaan ekonomi masyarakat dan pemasaran produk "
        f"kelompok usaha di {village}, dengan ini kami menawarkan kerja sama penyediaan "
        f"makanan ringan (snack) dan produk lokal untuk keperluan rapat, pertemuan dan "
        f"kegiatan di lingkungan {institution}"
        + (f", yaitu <i>{safe_text(letter.title)}</i>" if letter.title else "") + ".",
        s["body"]))
    if letter.groups:
        story.append(_p("Produk disediakan oleh kelompok usaha berikut:", s["body"]))
        for n, group in enumerate(letter.groups, start=1):
            story.append(Paragraph(_group_line(group), s["item"], bulletText=f"{n}."))
    sections = [
        ("Ruang lingkup kerja sama", letter.scope),
        ("Ketentuan harga dan pembayaran", letter.price_terms),
        ("Jangka waktu", _sentence(period_id(letter.starts_on, letter.ends_on))),
    ]
    for label, text in sections:
        if text and text.strip():
            story.append(Paragraph(f"<b>{safe_text(label)}:</b> {safe_text(text.strip())}",
                                   s["body"]))
    story.append(_p(
        "Apabila Bapak/Ibu berkenan, kerja sama ini akan kami tuangkan dalam Perjanjian "
        "Kerja Sama.", s["body"]))
    closing = _p(
        "Demikian surat penawaran ini kami sampaikan. Atas perhatian dan kerja sama "
        "Bapak/Ibu, kami ucapkan terima kasih.", s["body"])
    head, signer = letter.head, letter.signer
    if signer is not None:
        blocks = [[
            ("Mengetahui,<br/>" + safe_text(head.position) + ",", head.name, head.id_line, None),
            (safe_text(signer.position) + ",", signer.name, signer.id_line, None),
        ]]
    else:
        blocks = [[None, (safe_text(head.position) + ",", head.name, head.id_line, None)]]
    # The closing stays on the page of the signatures.
    story.append(KeepTogether([closing, Spacer(1, 5 * mm),
                               _signature_rows(blocks, s, [WIDTH / 2, WIDTH / 2])]))
    if letter.copies_to:
        story.append(Spacer(1, 3 * mm))
        tembusan = [Paragraph("<u>Tembusan</u>:", s["small"])]
        tembusan += [Paragraph(safe_text(line), s["copy"], bulletText=f"{n}.")
                     for n, line in enumerate(letter.copies_to, start=1)]
        story.append(KeepTogether(tembusan))
    return _render(story, f"Surat Penawaran Kerja Sama {letter.number}",
                   f"Nomor {letter.number}", first_page=False, bottom=15 * mm)


# --- agreement ------------------------------------------------------------------------


def _party_block(number: int, pairs, acting_for: str, s) -> list:
    """``1. Nama : …`` with the facts indented under the number."""
    return [_facts(pairs, s, label_width=22 * mm, marker=f"{number}."),
            Paragraph(acting_for, s["party"])]


def _article(number: int, heading: str, clauses: list[str], s) -> list:
    """``Pasal n`` and its heading, then clauses numbered (1), (2) … when more than
    one. ``clauses`` are markup whose user parts are already escaped."""
    flow = [CondPageBreak(30 * mm),
            Paragraph(f"Pasal {number}<br/>{heading.upper()}", s["article"])]
    if len(clauses) == 1:
        flow.append(Paragraph(clauses[0], s["body"]))
    else:
        flow += [Paragraph(text, s["item"], bulletText=f"({n})")
                 for n, text in enumerate(clauses, start=1)]
    return flow


def _meterai(s) -> Table:
    stamp = Table([[Paragraph("Meterai<br/>Rp10.000", s["stamp"])]],
                  colWidths=[26 * mm], rowHeights=[16 * mm])
    stamp.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#6b7280"), None, (2, 2)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return stamp


def build_agreement_pdf(letter: AgreementLetter) -> bytes:
    """The Perjanjian Kerja Sama as A4 PDF bytes."""
    s = _styles()
    first, groups = letter.first, letter.second
    first_name = safe_text(first.full_name)
    several = len(groups) > 1
    story = letterhead_flowables(letter.letterhead, WIDTH)
    title_lines = [
        "PERJANJIAN KERJA SAMA", "ANTARA", safe_text(first.full_name.upper()), "DENGAN",
        " DAN ".join(safe_text(f"KELOMPOK {g.name.upper()}") for g in groups), "TENTANG",
        safe_text(letter.title.upper()),
    ]
    story.append(Paragraph("<br/>".join(title_lines), s["title"]))
    story.append(Spacer(1, 2 * mm))
    story.append(_p(f"Nomor: {letter.number}", s["center"]))
    story.append(Spacer(1, 6 * mm))

    story.append(Paragraph(
        f"Pada hari ini {agreement_day_words(letter.day)} "
        f"({letter.day.strftime('%d-%m-%Y')}), bertempat di {safe_text(letter.place_full)}, "
        f"kami yang bertanda tangan di bawah ini:", s["body"]))
    story += _party_block(1, [
        ("Nama", first.contact_name or "-"),
        ("Jabatan", first.contact_position or "-"),
        ("Instansi", first.full_name),
        ("Alamat", " ".join(first.address.split()) or "-"),
    ], f"dalam hal ini bertindak untuk dan atas nama {first_name}, selanjutnya disebut "
       f"<b>PIHAK PERTAMA</b>.", s)
    for n, group in enumerate(groups, start=2):
        acting = f"dalam hal ini bertindak untuk dan atas nama Kelompok {safe_text(group.name)}"
        if not several:
            acting += ", selanjutnya disebut <b>PIHAK KEDUA</b>."
        else:
            acting += ";" if n <= len(groups) else "."
        story += _party_block(n, [
            ("Nama", group.chair_name or "-"),
            ("Jabatan", f"Ketua Kelompok {group.name}"),
            ("Alamat", " ".join(group.address.split()) or "-"),
        ], acting, s)
    if several:
        story.append(Paragraph(
            f"Pihak nomor 2 sampai dengan nomor {len(groups) + 1} selanjutnya bersama-sama "
            f"disebut <b>PIHAK KEDUA</b>.", s["body"]))
    story.append(Paragraph(
        "<b>PIHAK PERTAMA</b> dan <b>PIHAK KEDUA</b> yang selanjutnya bersama-sama disebut "
        "<b>PARA PIHAK</b> terlebih dahulu menerangkan hal-hal sebagai berikut:", s["body"]))
    products = sorted({p for g in groups for p in g.products})
    village = safe_text(letter.village_name)
    recitals = [
        f"<b>PIHAK PERTAMA</b> memerlukan penyediaan makanan ringan untuk rapat, pertemuan "
        f"dan kegiatan di lingkungan {first_name};",
        f"<b>PIHAK KEDUA</b> adalah kelompok usaha di {village} yang memproduksi makanan "
        f"ringan dan produk lokal"
        + (f", antara lain {safe_text(', '.join(products))};" if products else ";"),
        f"kerja sama ini difasilitasi oleh Pemerintah {village} dalam rangka pemberdayaan "
        f"ekonomi masyarakat.",
    ]
    story += [Paragraph(text, s["item"], bulletText=f"{mark}.")
              for mark, text in zip("abc", recitals, strict=True)]
    story.append(Paragraph(
        "Berdasarkan hal-hal tersebut, <b>PARA PIHAK</b> sepakat mengadakan Perjanjian "
        "Kerja Sama dengan ketentuan sebagai berikut:", s["body"]))

    scope = letter.scope.strip() or (
        "Penyediaan makanan ringan dan produk lokal oleh PIHAK KEDUA sesuai pesanan "
        "PIHAK PERTAMA.")
    price = letter.price_terms.strip() or (
        "Harga ditetapkan untuk setiap pesanan sesuai daftar harga PIHAK KEDUA yang "
        "disepakati PARA PIHAK.")
    copies = len(groups) + 1
    articles = [
        ("Maksud dan Tujuan", [
            f"Perjanjian ini dimaksudkan sebagai pedoman <b>PARA PIHAK</b> dalam kerja sama "
            f"{safe_text(letter.title)}.",
            f"Perjanjian ini bertujuan menyediakan makanan ringan lokal yang bermutu bagi "
            f"<b>PIHAK PERTAMA</b> serta meningkatkan pendapatan kelompok usaha "
            f"<b>PIHAK KEDUA</b> di {village}.",
        ]),
        ("Ruang Lingkup", ["Ruang lingkup perjanjian ini meliputi:<br/>" + safe_text(scope)]),
        ("Hak dan Kewajiban", [
            "<b>PIHAK PERTAMA</b> berhak menerima pesanan sesuai jenis, jumlah, mutu, waktu "
            "dan tempat yang disepakati.",
            "<b>PIHAK PERTAMA</b> berkewajiban menyampaikan pesanan paling lambat 2 (dua) "
            "hari sebelum kegiatan, memuat jumlah, menu, waktu dan tempat pengantaran, "
            "serta membayar sesuai Pasal 4.",
            "<b>PIHAK KEDUA</b> berhak menerima pembayaran sesuai Pasal 4.",
            "<b>PIHAK KEDUA</b> berkewajiban menyediakan makanan yang higienis, halal dan "
            "layak konsumsi, mengantarkannya tepat waktu, serta menyerahkan nota dan "
            "kuitansi untuk setiap pesanan.",
        ]),
        ("Harga dan Pembayaran", [
            safe_text(price),
            "Pembayaran dilakukan oleh <b>PIHAK PERTAMA</b> kepada <b>PIHAK KEDUA</b> "
            "setelah pesanan diterima dengan baik, berdasarkan kuitansi dari "
            "<b>PIHAK KEDUA</b>.",
            "Pajak yang timbul dari pembayaran diselesaikan sesuai ketentuan peraturan "
            "perundang-undangan yang berlaku.",
        ]),
        ("Jangka Waktu", [
            f"Perjanjian ini berlaku {period_id(letter.starts_on, letter.ends_on)}.",
            "Perjanjian ini dapat diperpanjang atau diakhiri lebih awal atas kesepakatan "
            "<b>PARA PIHAK</b> yang dituangkan secara tertulis.",
        ]),
        ("Keadaan Kahar", [
            "Keadaan kahar (<i>force majeure</i>) adalah keadaan di luar kemampuan "
            "<b>PARA PIHAK</b>, antara lain bencana alam, wabah penyakit, kebakaran, "
            "huru-hara dan kebijakan pemerintah, yang mengakibatkan kewajiban dalam "
            "perjanjian ini tidak dapat dilaksanakan.",
            "Pihak yang mengalami keadaan kahar memberitahukannya secara tertulis kepada "
            "pihak lainnya paling lambat 7 (tujuh) hari sejak kejadian.",
            "Kerugian akibat keadaan kahar tidak menjadi tanggung jawab salah satu pihak.",
        ]),
        ("Penyelesaian Perselisihan", [
            "Perselisihan yang timbul dari perjanjian ini diselesaikan secara musyawarah "
            "untuk mufakat.",
            f"Apabila musyawarah tidak mencapai mufakat, <b>PARA PIHAK</b> sepakat meminta "
            f"Pemerintah {village} sebagai penengah.",
        ]),
        ("Penutup", [
            "Hal-hal yang belum diatur dalam perjanjian ini diatur kemudian atas kesepakatan "
            "<b>PARA PIHAK</b> dalam adendum yang merupakan bagian tidak terpisahkan dari "
            "perjanjian ini.",
            f"Perjanjian ini dibuat rangkap {copies} ({words_id(copies)}), masing-masing "
            f"bermeterai cukup dan mempunyai kekuatan hukum yang sama.",
        ]),
    ]
    for number, (heading, clauses) in enumerate(articles, start=1):
        story += _article(number, heading, clauses, s)

    closing = Paragraph(
        "Demikian Perjanjian Kerja Sama ini dibuat dengan sebenar-benarnya dan "
        "ditandatangani oleh <b>PARA PIHAK</b> tanpa paksaan dari pihak mana pun.", s["body"])
    first_title = "<br/>".join(
        ["<b>PIHAK PERTAMA,</b>", safe_text(first.contact_position), first_name]
        if first.contact_position else ["<b>PIHAK PERTAMA,</b>", first_name])
    second = [("Ketua Kelompok " + safe_text(g.name), g.chair_name, "", None) for g in groups]
    if second:
        title, name, id_line, middle = second[0]
        second[0] = ("<b>PIHAK KEDUA,</b><br/>" + title, name, id_line, middle)
    else:
        second = [("<b>PIHAK KEDUA,</b>", "", "", None)]
    head = letter.head
    known = ("Mengetahui,<br/>" + safe_text(head.position) + ",", head.name, head.id_line, None)
    # PIHAK PERTAMA signs over the duty stamp on the left, the groups one under the
    # other on the right; the village head signs beside the second group, or centred
    # below when there is only one.
    blocks = [[(first_title, first.contact_name, "", _meterai(s)), second[0]]]
    for n, block in enumerate(second[1:]):
        blocks.append([known if n == 0 else None, block])
    signatures = [closing, Spacer(1, 4 * mm), _signature_rows(blocks, s, [WIDTH / 2] * 2)]
    if len(second) == 1:
        signatures += [Spacer(1, 8 * mm),
                       _signature_rows([[None, known, None]], s, [WIDTH / 4, WIDTH / 2,
                                                                  WIDTH / 4])]
    story += [CondPageBreak(70 * mm), *signatures]
    return _render(story, f"Perjanjian Kerja Sama {letter.number}",
                   f"Perjanjian Kerja Sama Nomor {letter.number}")

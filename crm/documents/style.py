"""The look of every PDF document, defined once: palette, page, paragraph styles and
the small builders the documents share.

Two families of documents share a look. *Slips* (the catering invoice, receipt and
delivery note, the consignment slip, the reseller statement) use narrow 15 mm margins
and reportlab's Normal style at 10 pt. *Letters* (partnership letters, the capital
proposal and the village's recommendation) follow the margins of an official
Indonesian letter and a 10.5 pt justified body. Each document keeps its own sizes
where it differs, as named variants of its family's base styles.

User text is escaped before it reaches a Paragraph (markup from a user is printed as
typed, an ``<img src="http://…">`` is never fetched). Nothing here reads a database or
a request.
"""

from datetime import date
from functools import partial
from html import escape as _html_escape
from io import BytesIO

from babel.dates import format_date
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from crm.documents.glyphs import printable

# --- palette ------------------------------------------------------------------------

INK = colors.HexColor("#1f2937")  # text and strong rules
MUTED = colors.HexColor("#4b5563")  # small print, page footers
LINE = colors.HexColor("#9ca3af")  # thin rules between table rows
FAINT_LINE = colors.HexColor("#d1d5db")  # the statement's rules between rows
STAMP_EDGE = colors.HexColor("#6b7280")  # the dashed box of a duty stamp (meterai)
SOFT = colors.HexColor("#f0fdf4")  # totals and highlighted boxes
HEAD_FILL = colors.HexColor("#dcfce7")  # table headings
GREEN = colors.HexColor("#166534")  # the issuing group's name and rule
DRAFT_RED = colors.HexColor("#b91c1c")  # the draft mark

# --- page ---------------------------------------------------------------------------

PAGE = A4
AUTHOR = "MRSE CRM"
SLIP_MARGIN = 15 * mm
# A4 less the slip margins and the 6 pt padding of the page frame on each side.
CONTENT_WIDTH = A4[0] - 30 * mm - 12
# Margins of an official Indonesian letter (tata naskah dinas): wide binding margin
# on the left, the kop close to the top edge.
LETTER_LEFT, LETTER_RIGHT, LETTER_TOP = 30 * mm, 20 * mm, 12 * mm
LETTER_BOTTOM = 20 * mm
PROPOSAL_BOTTOM = 18 * mm
LETTER_WIDTH = A4[0] - LETTER_LEFT - LETTER_RIGHT
SIGNATURE_SPACE = 19 * mm

# --- paragraph styles -----------------------------------------------------------------


def _slip_body(**colour) -> ParagraphStyle:
    """Helvetica 10/13 on reportlab's Normal style: the body text of slips."""
    return ParagraphStyle("body", parent=getSampleStyleSheet()["Normal"], fontName="Helvetica",
                          fontSize=10, leading=13, **colour)


def _cells(parent: ParagraphStyle, size: float, leading: float, **attrs) -> dict:
    """Table cell styles at one size: ``cell``, ``cellbold``, ``num`` (right-aligned)
    and ``numbold``."""
    cell = ParagraphStyle("cell", parent=parent, fontSize=size, leading=leading, **attrs)
    return {
        "cell": cell,
        "cellbold": ParagraphStyle("cellbold", parent=cell, fontName="Helvetica-Bold"),
        "num": ParagraphStyle("num", parent=cell, alignment=TA_RIGHT),
        "numbold": ParagraphStyle("numbold", parent=cell, fontName="Helvetica-Bold",
                                  alignment=TA_RIGHT),
    }


def _issued_slip(body: ParagraphStyle) -> dict:
    """What the catering documents and the consignment slip share: the issuing group's
    name in green, small print, the centred number and signature lines."""
    return {
        "body": body,
        "bold": ParagraphStyle("bold", parent=body, fontName="Helvetica-Bold"),
        "issuer": ParagraphStyle("issuer", parent=body, fontName="Helvetica-Bold", fontSize=14,
                                 leading=17, textColor=GREEN),
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11,
                                textColor=MUTED),
        "number": ParagraphStyle("number", parent=body, alignment=TA_CENTER),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
        "centerbold": ParagraphStyle("centerbold", parent=body, fontName="Helvetica-Bold",
                                     alignment=TA_CENTER),
    }


def catering_styles() -> dict:
    """The invoice, receipt and delivery note: a large title, the amount in words in
    bold italics, 9.5 pt table cells."""
    body = _slip_body(textColor=INK)
    return {
        **_issued_slip(body),
        **_cells(body, 9.5, 12),
        "title": ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=18,
                                leading=22, alignment=TA_CENTER),
        "words": ParagraphStyle("words", parent=body, fontName="Helvetica-BoldOblique",
                                fontSize=11.5, leading=15),
        "amount": ParagraphStyle("amount", parent=body, fontName="Helvetica-Bold",
                                 fontSize=15, leading=19),
        "para": ParagraphStyle("para", parent=body, spaceAfter=4),
        "meterai": ParagraphStyle("meterai", parent=body, fontSize=8, leading=10,
                                  alignment=TA_CENTER, textColor=MUTED),
    }


def consignment_styles() -> dict:
    """The consignment slip: ten narrow columns, so 8.5 pt cells and 7.5 pt headings."""
    body = _slip_body(textColor=INK)
    return {
        **_issued_slip(body),
        **_cells(body, 8.5, 10.5),
        "title": ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=17,
                                leading=21, alignment=TA_CENTER),
        "head": ParagraphStyle("head", parent=body, fontName="Helvetica-Bold", fontSize=7.5,
                               leading=9),
        "headnum": ParagraphStyle("headnum", parent=body, fontName="Helvetica-Bold",
                                  fontSize=7.5, leading=9, alignment=TA_RIGHT),
        "numsmall": ParagraphStyle("numsmall", parent=body, fontSize=7, leading=8.5,
                                   alignment=TA_RIGHT, textColor=MUTED),
        "numbold": ParagraphStyle("numbold", parent=body, fontName="Helvetica-Bold",
                                  fontSize=9, leading=11, alignment=TA_RIGHT),
        "total": ParagraphStyle("total", parent=body, fontName="Helvetica-Bold", fontSize=11,
                                leading=14, alignment=TA_RIGHT),
        "words": ParagraphStyle("words", parent=body, fontName="Helvetica-Oblique",
                                fontSize=9.5, leading=12),
    }


def statement_styles() -> dict:
    """The reseller statement: black text, reportlab's Title style for the title."""
    body = _slip_body()
    return {
        **_cells(body, 9, 11),
        "title": ParagraphStyle("title", parent=getSampleStyleSheet()["Title"],
                                fontName="Helvetica-Bold", fontSize=16, leading=20,
                                spaceAfter=4),
        "body": body,
        "note": ParagraphStyle("note", parent=body, fontSize=8, leading=10, textColor=MUTED),
    }


def _letter_body(**colour) -> ParagraphStyle:
    """Helvetica 10.5/14, justified: the body text of letters."""
    return ParagraphStyle("body", fontName="Helvetica", fontSize=10.5, leading=14,
                          alignment=TA_JUSTIFY, spaceAfter=4, **colour)


def _letter(body: ParagraphStyle) -> dict:
    """What every letter shares: aligned lines, the addressee's "Tempat", the copies
    (tembusan)."""
    return {
        "body": body,
        "left": ParagraphStyle("left", parent=body, alignment=TA_LEFT, spaceAfter=0),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT, spaceAfter=0),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER, spaceAfter=0),
        "place": ParagraphStyle("place", parent=body, alignment=TA_LEFT, spaceAfter=0,
                                leftIndent=8 * mm),
        "copy": ParagraphStyle("copy", fontName="Helvetica", fontSize=9.5, leading=12,
                               leftIndent=5 * mm),
    }


def letter_styles() -> dict:
    """The partnership letters: black text, articles (pasal) of an agreement."""
    body = _letter_body()
    return {
        **_letter(body),
        "title": ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=13,
                                leading=17, alignment=TA_CENTER, spaceAfter=0),
        "article": ParagraphStyle("article", parent=body, fontName="Helvetica-Bold",
                                  alignment=TA_CENTER, spaceBefore=6, spaceAfter=2,
                                  keepWithNext=1),
        "item": ParagraphStyle("item", parent=body, leftIndent=9 * mm, bulletIndent=0,
                               spaceAfter=3),
        "indent": ParagraphStyle("indent", parent=body, leftIndent=9 * mm),
        "party": ParagraphStyle("party", parent=body, leftIndent=7 * mm, spaceBefore=2),
        "small": ParagraphStyle("small", parent=body, fontSize=9.5, leading=12,
                                alignment=TA_LEFT, spaceAfter=0),
        "stamp": ParagraphStyle("stamp", fontName="Helvetica", fontSize=8, leading=10,
                                alignment=TA_CENTER, textColor=MUTED),
    }


def proposal_styles() -> dict:
    """The proposal and the recommendation: ink text, sections and tables."""
    body = _letter_body(textColor=INK)
    return {
        **_letter(body),
        **_cells(body, 9, 11, alignment=TA_LEFT, spaceAfter=0),
        "title": ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=14,
                                leading=18, alignment=TA_CENTER, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=11.5, leading=15,
                                   alignment=TA_CENTER, spaceAfter=0),
        "section": ParagraphStyle("section", parent=body, fontName="Helvetica-Bold",
                                  fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4,
                                  keepWithNext=1, alignment=TA_LEFT),
        "item": ParagraphStyle("item", parent=body, leftIndent=7 * mm, spaceAfter=2),
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=12,
                                alignment=TA_LEFT, spaceAfter=2),
    }


def evidence_styles(cell: ParagraphStyle, narrow: bool) -> dict:
    """The turnover table's cells: smaller than the proposal's other tables, smaller
    still when ``narrow`` (many channel columns)."""
    small = ParagraphStyle("ev-cell", parent=cell, fontSize=7 if narrow else 8,
                           leading=9 if narrow else 10)
    num = ParagraphStyle("ev-num", parent=small, alignment=TA_RIGHT)
    return {
        "cell": small,
        "num": num,
        "bold": ParagraphStyle("ev-bold", parent=small, fontName="Helvetica-Bold"),
        "numbold": ParagraphStyle("ev-numbold", parent=num, fontName="Helvetica-Bold"),
    }


def letterhead_styles() -> dict:
    """The kop surat: black, centred, the institution's name large and bold."""
    base = {"fontName": "Helvetica", "alignment": TA_CENTER, "textColor": colors.black}
    return {
        "upper": ParagraphStyle("kop-upper", fontSize=11.5, leading=14, **base),
        "name": ParagraphStyle("kop-name", fontSize=16, leading=19,
                               **(base | {"fontName": "Helvetica-Bold"})),
        "small": ParagraphStyle("kop-small", fontSize=9, leading=11.5, **base),
    }


# --- text ---------------------------------------------------------------------------

_escape_markup = partial(_html_escape, quote=False)


def escape(text: str) -> str:
    """User text printed, never read as markup: &, < and > are escaped (quotes need
    not), in characters the font prints readably."""
    return _escape_markup(printable(text))


def safe_text(value) -> str:
    """User text as Paragraph markup that only prints it: escaped, line breaks preserved;
    None, "" and 0 print nothing."""
    text = escape(str(value or "")).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\n", "<br/>")


def para(value, style) -> Paragraph:
    """User or computed text as a Paragraph (see :func:`safe_text`)."""
    return Paragraph(safe_text(value), style)


def plain(value, style) -> Paragraph:
    """``str(value)`` escaped as a Paragraph, as it is (0 prints "0", a line break is
    a space)."""
    return Paragraph(escape(str(value)), style)


def plain_lines(value, style) -> Paragraph:
    """Like :func:`plain`, with each line break of the text preserved."""
    return Paragraph(escape(str(value)).replace("\n", "<br/>"), style)


def day_text(value: date, pattern: str = "d MMMM y") -> str:
    """``23 November 2026`` (or ``pattern``), in Indonesian."""
    return format_date(value, pattern, locale="id")


# --- tables -------------------------------------------------------------------------


def grid(rows, widths, style=None) -> Table:
    """A borderless table with the cells' text flush left and top (letters' layout)."""
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


def facts(pairs, styles, *, label_width, width=LETTER_WIDTH, marker: str = "",
          blank: str = "") -> Table:
    """``Label : value`` lines with the colons under each other; an empty value prints
    ``blank``. ``marker`` (``1.``) stands before the first line, the others are
    indented like it."""
    left = styles["left"]
    lead = 7 * mm if marker else 0
    rows = []
    for n, (label, value) in enumerate(pairs):
        row = [para(label, left), para(":", left), para(value or blank, left)]
        if marker:
            row.insert(0, para(marker if n == 0 else "", left))
        rows.append(row)
    widths = [label_width, 4 * mm, width - lead - label_width - 4 * mm]
    return grid(rows, [lead, *widths] if marker else widths)


def heading_block(pairs, addressee: list[str], styles, blank: str = "") -> Table:
    """Nomor … Perihal (``pairs``, an empty value printed as ``blank``) on the left;
    the ``addressee`` lines (from ``Kepada Yth.``) and "di Tempat" on the right."""
    left = LETTER_WIDTH * 0.55
    numbers = facts(pairs, styles, label_width=20 * mm, width=left - 4 * mm, blank=blank)
    lines = [para(line, styles["left"]) for line in addressee]
    lines += [para("di", styles["left"]), para("Tempat", styles["place"])]
    return grid([[numbers, lines]], [left, LETTER_WIDTH - left])


def green_rule() -> Table:
    """The issuing group's double rule under its name, across the slip."""
    rule = Table([[""]], colWidths=[CONTENT_WIDTH], rowHeights=[2])
    rule.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, 0), 1.5, GREEN),
                              ("LINEBELOW", (0, 0), (-1, 0), 0.5, GREEN)]))
    return rule


def fact_columns(left_rows, right_rows, styles, widths, text=para) -> Table:
    """Two blocks of ``label value`` facts side by side (who, and what for); a fact
    without a value is left out. ``widths`` are the label's and the value's; ``text``
    makes a value's Paragraph."""
    def block(rows):
        table = Table([[text(label, styles["small"]), text(value, styles["cell"])]
                       for label, value in rows if value], colWidths=widths)
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]))
        return table

    table = Table([[block(left_rows), block(right_rows)]],
                  colWidths=[CONTENT_WIDTH / 2, CONTENT_WIDTH / 2])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


# --- pages --------------------------------------------------------------------------


def slip_document(out: BytesIO, title: str, vertical: float = 14 * mm) -> SimpleDocTemplate:
    """An A4 slip with 15 mm side margins and ``vertical`` above and below."""
    return SimpleDocTemplate(
        out, pagesize=A4, leftMargin=SLIP_MARGIN, rightMargin=SLIP_MARGIN, topMargin=vertical,
        bottomMargin=vertical, title=title, author=AUTHOR,
    )


def page_footer(label: str, *, bottom: float, mark: str = ""):
    """Page callback: ``label`` and the page number centred in the ``bottom`` margin
    (plain canvas text, never parsed as markup), and ``mark`` (a draft) top right."""

    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(MUTED)
        canvas.drawCentredString(LETTER_LEFT + LETTER_WIDTH / 2, bottom / 2,
                                 f"{label} · halaman {doc.page}")
        if mark:
            canvas.setFont("Helvetica-Bold", 9)
            canvas.setFillColor(DRAFT_RED)
            canvas.drawRightString(LETTER_LEFT + LETTER_WIDTH, A4[1] - 7 * mm, mark)
        canvas.restoreState()

    return draw


def _blank_page(canvas, doc) -> None:
    """Nothing extra on the page."""


def render_letter(story, title: str, footer, *, bottom: float, first_page: bool = True) -> bytes:
    """Build a letter as A4 PDF bytes; the ``footer`` callback draws on every page, or
    from page 2 on when ``first_page`` is false (a one-page letter carries no page
    number)."""
    out = BytesIO()
    pdf = SimpleDocTemplate(out, pagesize=A4, leftMargin=LETTER_LEFT, rightMargin=LETTER_RIGHT,
                            topMargin=LETTER_TOP, bottomMargin=bottom, title=title,
                            author=AUTHOR, creator=AUTHOR)
    pdf.build(story, onFirstPage=footer if first_page else _blank_page, onLaterPages=footer)
    return out.getvalue()

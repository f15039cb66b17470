"""The kop surat (letterhead) at the top of every village letter, as flowables.

Plain data in (names, address, the logo as image bytes), reportlab flowables out.
User text is escaped before it reaches a Paragraph: a name such as
``<img src="http://…">`` is printed as typed and never fetched.
"""

from dataclasses import dataclass, field
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from crm.documents.style import letterhead_styles, safe_text

LOGO_BOX = 24 * mm  # the logo fits in a square of this size, left of the names


@dataclass
class Letterhead:
    """What the kop surat shows.

    ``upper_lines`` are the small lines above the institution (``PEMERINTAH
    KABUPATEN BANDUNG``, ``KECAMATAN KATAPANG``); ``logo`` is PNG or JPEG bytes of a
    picture the app stored itself (never a URL).
    """

    institution_name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    upper_lines: list[str] = field(default_factory=list)
    logo: bytes | None = None


def _logo(data: bytes | None) -> Flowable | None:
    """The logo scaled into :data:`LOGO_BOX`, or None when there is none or it is
    unreadable (a letter without a logo is still a letter)."""
    if not data:
        return None
    try:
        width, height = ImageReader(BytesIO(data)).getSize()
    except Exception:  # any unreadable picture: print the letter without it
        return None
    if not width or not height:
        return None
    scale = min(LOGO_BOX / width, LOGO_BOX / height)
    return Image(BytesIO(data), width=width * scale, height=height * scale)


def letterhead_flowables(head: Letterhead, width: float) -> list[Flowable]:
    """The kop surat across ``width`` points: logo on the left, the names centred,
    address and contacts below, then the double rule."""
    styles = letterhead_styles()
    lines = [Paragraph(safe_text(line.upper()), styles["upper"])
             for line in head.upper_lines if line]
    lines.append(Paragraph(safe_text(head.institution_name.upper()), styles["name"]))
    if head.address:
        lines.append(Paragraph(safe_text(" ".join(head.address.split())), styles["small"]))
    contacts = []
    if head.phone:
        contacts.append(f"Telp. {head.phone}")
    if head.email:
        contacts.append(f"Email: {head.email}")
    if contacts:
        lines.append(Paragraph(safe_text("  ·  ".join(contacts)), styles["small"]))
    logo = _logo(head.logo)
    side = LOGO_BOX + 2 * mm
    # Same width on both sides keeps the names centred on the page, logo or not.
    table = Table([[logo or "", lines, ""]], colWidths=[side, width - 2 * side, side])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (0, 0), "LEFT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return [
        table,
        Spacer(1, 2 * mm),
        HRFlowable(width="100%", thickness=2.2, color=colors.black, spaceBefore=0,
                   spaceAfter=0.8),
        HRFlowable(width="100%", thickness=0.6, color=colors.black, spaceBefore=0,
                   spaceAfter=5 * mm),
    ]

"""The offer of cooperation (Surat Penawaran Kerja Sama) a village sends an
institution on behalf of its producer groups, as PDF.

Pure builder: an :class:`~crm.documents.letters.OfferLetter` in, A4 PDF bytes out.
Every piece of user text is escaped before it reaches a Paragraph.
"""

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from crm.documents.letterhead import letterhead_flowables
from crm.documents.letters import GroupParty, OfferLetter, period_id, sentence, signature_rows
from crm.documents.style import (
    LETTER_BOTTOM,
    LETTER_WIDTH,
    heading_block,
    letter_styles,
    page_footer,
    para,
    render_letter,
    safe_text,
)
from crm.text.dates import letter_date_id


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


def build_offer_letter_pdf(letter: OfferLetter) -> bytes:
    """The Surat Penawaran Kerja Sama as A4 PDF bytes."""
    s = letter_styles()
    story = letterhead_flowables(letter.letterhead, LETTER_WIDTH)
    story += [para(letter_date_id(letter.day, letter.place), s["right"]), Spacer(1, 3 * mm)]
    # The classic layout: Nomor … Perihal on the left, the addressee on the right.
    to = letter.recipient
    lines = ["Kepada Yth."]
    if to.contact_name:
        lines.append(f"Bapak/Ibu {to.contact_name}")
    if to.contact_position:
        lines.append(to.contact_position)
    lines.append(to.full_name)
    if to.address:
        lines.append(" ".join(to.address.split()))
    story.append(heading_block([
        ("Nomor", letter.number),
        ("Sifat", letter.nature),
        ("Lampiran", letter.attachment),
        ("Perihal", letter.subject),
    ], lines, s))
    story.append(Spacer(1, 6 * mm))

    institution = safe_text(to.full_name)
    village = safe_text(letter.village_name)
    story.append(para("Dengan hormat,", s["body"]))
    story.append(Paragraph(
        f"Dalam rangka mendukung pemberdayaan ekonomi masyarakat dan pemasaran produk "
        f"kelompok usaha di {village}, dengan ini kami menawarkan kerja sama penyediaan "
        f"makanan ringan (snack) dan produk lokal untuk keperluan rapat, pertemuan dan "
        f"kegiatan di lingkungan {institution}"
        + (f", yaitu <i>{safe_text(letter.title)}</i>" if letter.title else "") + ".",
        s["body"]))
    if letter.groups:
        story.append(para("Produk disediakan oleh kelompok usaha berikut:", s["body"]))
        for n, group in enumerate(letter.groups, start=1):
            story.append(Paragraph(_group_line(group), s["item"], bulletText=f"{n}."))
    sections = [
        ("Ruang lingkup kerja sama", letter.scope),
        ("Ketentuan harga dan pembayaran", letter.price_terms),
        ("Jangka waktu", sentence(period_id(letter.starts_on, letter.ends_on))),
    ]
    for label, text in sections:
        if text and text.strip():
            story.append(Paragraph(f"<b>{safe_text(label)}:</b> {safe_text(text.strip())}",
                                   s["body"]))
    story.append(para(
        "Apabila Bapak/Ibu berkenan, kerja sama ini akan kami tuangkan dalam Perjanjian "
        "Kerja Sama.", s["body"]))
    closing = para(
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
                               signature_rows(blocks, s, [LETTER_WIDTH / 2, LETTER_WIDTH / 2])]))
    if letter.copies_to:
        story.append(Spacer(1, 3 * mm))
        tembusan = [Paragraph("<u>Tembusan</u>:", s["small"])]
        tembusan += [Paragraph(safe_text(line), s["copy"], bulletText=f"{n}.")
                     for n, line in enumerate(letter.copies_to, start=1)]
        story.append(KeepTogether(tembusan))
    return render_letter(story, f"Surat Penawaran Kerja Sama {letter.number}",
                         page_footer(f"Nomor {letter.number}", bottom=LETTER_BOTTOM),
                         bottom=15 * mm, first_page=False)

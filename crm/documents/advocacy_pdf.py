"""The village's recommendation (surat rekomendasi) of a group's capital proposal to a
funder, as PDF.

Pure builder: an :class:`~crm.documents.proposal_content.AdvocacyLetter` in, A4 PDF
bytes out, no database and no request. Every piece of user text is escaped before it
reaches a Paragraph.
"""

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from crm.documents.letterhead import letterhead_flowables
from crm.documents.proposal_content import AdvocacyLetter, group_title
from crm.documents.proposal_parts import MRSE_CHANNELS_ID, letter_heading, signature_table
from crm.documents.style import (
    LETTER_WIDTH,
    PROPOSAL_BOTTOM,
    facts,
    page_footer,
    para,
    proposal_styles,
    render_letter,
    safe_text,
)
from crm.text.dates import letter_date_id
from crm.text.money import format_rupiah
from crm.text.money_words import rupiah_in_words

SUBJECT = "Rekomendasi Permohonan Bantuan Modal Usaha"


def build_advocacy_pdf(letter: AdvocacyLetter) -> bytes:
    """The village's surat rekomendasi as A4 PDF bytes."""
    s = proposal_styles()
    story = letterhead_flowables(letter.letterhead, LETTER_WIDTH)
    story += [para(letter_date_id(letter.day, letter.place), s["right"]), Spacer(1, 3 * mm)]
    story.append(letter_heading(letter.number, SUBJECT, letter.funder_name,
                                letter.funder_address, s))
    story.append(Spacer(1, 6 * mm))
    head, g = letter.head, letter.group
    village = safe_text(letter.village_name)
    story.append(para("Dengan hormat,", s["body"]))
    story.append(Paragraph(
        f"Yang bertanda tangan di bawah ini, {safe_text(head.position)}, "
        f"{safe_text(letter.region)}, dengan ini memberikan rekomendasi kepada:", s["body"]))
    story.append(facts([
        ("Nama kelompok", g.name),
        ("Ketua", g.chair_name),
        ("Alamat", " ".join(g.address.split())),
        ("Bidang usaha", g.kind),
        ("Berdiri sejak", str(g.since_year) if g.since_year else "-"),
    ], s, label_width=32 * mm, blank="-"))
    story.append(Spacer(1, 3 * mm))
    story.append(Paragraph(
        f"Kelompok tersebut benar berkedudukan dan menjalankan usaha di {village} serta "
        f"mendapat pendampingan dari Pemerintah {village}.", s["body"]))
    if letter.evidence_period and (letter.average_turnover > 0
                                   or letter.whole_average is not None):
        mrse = safe_text(format_rupiah(letter.average_turnover))
        if letter.whole_average is not None:
            said = (f"rata-rata omzet seluruhnya kelompok sebesar "
                    f"{safe_text(format_rupiah(letter.whole_average))} per bulan, termasuk "
                    f"omzet melalui saluran MRSE ({MRSE_CHANNELS_ID}) rata-rata {mrse} per "
                    f"bulan.")
        else:
            said = (f"omzet kelompok melalui saluran MRSE ({MRSE_CHANNELS_ID}) rata-rata "
                    f"{mrse} per bulan, di luar penjualan langsung dan di pasar yang belum "
                    f"dicatat.")
        story.append(Paragraph(
            f"Berdasarkan catatan penjualan periode {safe_text(letter.evidence_period)}, "
            + said, s["body"]))
    amount = format_rupiah(letter.requested_amount)
    story.append(Paragraph(
        f"Sehubungan dengan itu, kami merekomendasikan permohonan bantuan modal usaha "
        f"{safe_text(group_title(g.name))} sebesar <b>{safe_text(amount)}</b> "
        f"({safe_text(rupiah_in_words(letter.requested_amount))}) untuk kegiatan "
        f"<i>{safe_text(letter.title)}</i> kepada {safe_text(letter.funder_name)}.", s["body"]))
    closing = para("Demikian surat rekomendasi ini dibuat untuk dapat dipergunakan sebagaimana "
                 "mestinya.", s["body"])
    signature = signature_table(
        [None, (safe_text(head.position) + ",", head.name)], s,
        [LETTER_WIDTH / 2, LETTER_WIDTH / 2])
    story.append(KeepTogether([closing, Spacer(1, 5 * mm), signature]))
    if letter.copies_to:
        story.append(Spacer(1, 4 * mm))
        copies = [Paragraph("<u>Tembusan</u>:", s["small"])]
        copies += [Paragraph(safe_text(line), s["copy"], bulletText=f"{n}.")
                   for n, line in enumerate(letter.copies_to, start=1)]
        story.append(KeepTogether(copies))
    footer = page_footer(f"Surat Rekomendasi Nomor {letter.number}", bottom=PROPOSAL_BOTTOM)
    return render_letter(story, f"Surat Rekomendasi {letter.number}", footer,
                         bottom=PROPOSAL_BOTTOM)

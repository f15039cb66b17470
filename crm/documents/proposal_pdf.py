"""A group's capital proposal (Proposal Permohonan Bantuan Modal Usaha) as PDF: the
cover letter, then sections A to G, signed by the group's chair and secretary and
known to the village head.

Pure builder: a :class:`~crm.documents.proposal_content.ProposalDocument` in, A4 PDF
bytes out, no database and no request. Always in Indonesian. Every piece of user
text goes through :func:`~crm.documents.style.safe_text` before it reaches a
Paragraph, so a title such as ``<img src="http://…">`` is printed literally and
reportlab never fetches anything.
"""

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Paragraph, Spacer

from crm.documents.letterhead import letterhead_flowables
from crm.documents.proposal_content import ProposalDocument, group_title
from crm.documents.proposal_parts import (
    budget_section,
    evidence_section,
    letter_heading,
    profile_section,
    signature_table,
    text_block,
)
from crm.documents.style import (
    LETTER_WIDTH,
    PROPOSAL_BOTTOM,
    page_footer,
    para,
    proposal_styles,
    render_letter,
    safe_text,
)
from crm.text.dates import letter_date_id
from crm.text.money import format_rupiah
from crm.text.money_words import rupiah_in_words

SUBJECT = "Permohonan Bantuan Modal Usaha"
DRAFT_MARK = "DRAF – belum dikirim"


def _group_signatures(doc: ProposalDocument, s) -> list:
    """Chair and secretary side by side, the village head ("Mengetahui") below."""
    group = safe_text(group_title(doc.group.name))
    flow = [signature_table([
        (f"Ketua<br/>{group},", doc.group.chair_name),
        (f"Sekretaris<br/>{group},", doc.group.secretary_name),
    ], s, [LETTER_WIDTH / 2, LETTER_WIDTH / 2])]
    flow.append(Spacer(1, 6 * mm))
    head = doc.head
    flow.append(signature_table([
        None, ("Mengetahui,<br/>" + safe_text(head.position) + ",", head.name), None,
    ], s, [LETTER_WIDTH / 4, LETTER_WIDTH / 2, LETTER_WIDTH / 4]))
    return flow


def _cover_letter(doc: ProposalDocument, s) -> list:
    story = letterhead_flowables(doc.letterhead, LETTER_WIDTH)
    story += [para(letter_date_id(doc.day, doc.place), s["right"]), Spacer(1, 3 * mm)]
    story.append(letter_heading(doc.number or "—", SUBJECT, doc.funder_name,
                                doc.funder_address, s))
    story.append(Spacer(1, 6 * mm))
    group, village = safe_text(group_title(doc.group.name)), safe_text(doc.village_name)
    amount = format_rupiah(doc.requested_amount)
    story.append(para("Dengan hormat,", s["body"]))
    story.append(Paragraph(
        f"Bersama surat ini kami, pengurus {group} di {village}, mengajukan "
        f"permohonan bantuan modal usaha sebesar <b>{safe_text(amount)}</b> "
        f"({safe_text(rupiah_in_words(doc.requested_amount))}) untuk kegiatan "
        f"<i>{safe_text(doc.title)}</i>.", s["body"]))
    story.append(para(
        "Sebagai bahan pertimbangan, bersama ini kami lampirkan proposal yang memuat latar "
        "belakang, tujuan, profil kelompok, rencana kegiatan, bukti kinerja usaha dan "
        "rencana anggaran biaya, beserta kelengkapannya.", s["body"]))
    story.append(para(
        "Demikian permohonan ini kami sampaikan. Atas perhatian dan bantuan Bapak/Ibu, kami "
        "ucapkan terima kasih.", s["body"]))
    story.append(Spacer(1, 4 * mm))
    story.append(KeepTogether(_group_signatures(doc, s)))
    return story


def build_proposal_pdf(doc: ProposalDocument) -> bytes:
    """The proposal as A4 PDF bytes: the cover letter, then sections A to G."""
    s = proposal_styles()
    story = _cover_letter(doc, s)
    story.append(PageBreak())
    story.append(para("PROPOSAL PERMOHONAN BANTUAN MODAL USAHA", s["title"]))
    story.append(para(doc.title.upper(), s["subtitle"]))
    story.append(para(f"{group_title(doc.group.name)} · {doc.village_name}", s["subtitle"]))
    story.append(Spacer(1, 2 * mm))
    funder = doc.funder_kind + (f" – {doc.kur_scheme}" if doc.kur_scheme else "")
    story.append(para(f"Diajukan kepada: {doc.funder_name} ({funder})", s["subtitle"]))
    story.append(Spacer(1, 4 * mm))

    sections = [
        ("A. Latar Belakang", text_block(doc.background, s)),
        ("B. Tujuan", text_block(doc.aims, s)),
        ("C. Profil Kelompok dan Pengurus", profile_section(doc, s)),
        ("D. Rencana Kegiatan", text_block(doc.activities, s)),
        ("E. Bukti Kinerja Usaha", evidence_section(doc, s)),
        ("F. Rencana Anggaran Biaya", budget_section(doc, s)),
    ]
    for heading, flow in sections:
        story.append(CondPageBreak(35 * mm))
        story.append(Paragraph(heading, s["section"]))
        story += flow
    closing = doc.closing.strip() or (
        "Demikian proposal ini kami susun dengan sebenar-benarnya. Besar harapan kami "
        "Bapak/Ibu berkenan membantu permodalan kelompok kami. Atas perhatian dan "
        "bantuannya kami ucapkan terima kasih.")
    ending = [Paragraph("G. Penutup", s["section"]), *text_block(closing, s)]
    if doc.attachments:
        ending.append(para("Lampiran:", s["left"]))
        ending += [Paragraph(safe_text(item), s["item"], bulletText=f"{n}.")
                   for n, item in enumerate(doc.attachments, start=1)]
    story.append(CondPageBreak(60 * mm))
    story += ending
    # The place and date stay on the page of the signatures.
    story.append(KeepTogether([Spacer(1, 3 * mm),
                               para(letter_date_id(doc.day, doc.place), s["right"]),
                               Spacer(1, 3 * mm), *_group_signatures(doc, s)]))
    label = f"Proposal {group_title(doc.group.name)}"
    if doc.number:
        label += f" · Nomor {doc.number}"
    footer = page_footer(label, bottom=PROPOSAL_BOTTOM, mark=DRAFT_MARK if doc.draft else "")
    return render_letter(story, f"Proposal {doc.title}", footer, bottom=PROPOSAL_BOTTOM)

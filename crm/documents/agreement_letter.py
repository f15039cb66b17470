"""The cooperation agreement (Perjanjian Kerja Sama) between an institution (PIHAK
PERTAMA) and one or more producer groups (PIHAK KEDUA), known to the village head,
as PDF: the parties, the recitals, eight articles and the signatures.

Pure builder: an :class:`~crm.documents.letters.AgreementLetter` in, A4 PDF bytes
out. Every piece of user text is escaped before it reaches a Paragraph.
"""

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Paragraph, Spacer, Table, TableStyle

from crm.documents.letterhead import letterhead_flowables
from crm.documents.letters import (
    AgreementLetter,
    agreement_day_words,
    period_id,
    signature_rows,
    words_id,
)
from crm.documents.style import (
    LETTER_BOTTOM,
    LETTER_WIDTH,
    STAMP_EDGE,
    facts,
    letter_styles,
    page_footer,
    para,
    render_letter,
    safe_text,
)


def _party_block(number: int, pairs, acting_for: str, s) -> list:
    """``1. Nama : …`` with the facts indented under the number."""
    return [facts(pairs, s, label_width=22 * mm, marker=f"{number}."),
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
        ("BOX", (0, 0), (-1, -1), 0.6, STAMP_EDGE, None, (2, 2)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return stamp


def build_agreement_pdf(letter: AgreementLetter) -> bytes:
    """The Perjanjian Kerja Sama as A4 PDF bytes."""
    s = letter_styles()
    first, groups = letter.first, letter.second
    first_name = safe_text(first.full_name)
    several = len(groups) > 1
    story = letterhead_flowables(letter.letterhead, LETTER_WIDTH)
    title_lines = [
        "PERJANJIAN KERJA SAMA", "ANTARA", safe_text(first.full_name.upper()), "DENGAN",
        " DAN ".join(safe_text(f"KELOMPOK {g.name.upper()}") for g in groups), "TENTANG",
        safe_text(letter.title.upper()),
    ]
    story.append(Paragraph("<br/>".join(title_lines), s["title"]))
    story.append(Spacer(1, 2 * mm))
    story.append(para(f"Nomor: {letter.number}", s["center"]))
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
    signatures = [closing, Spacer(1, 4 * mm), signature_rows(blocks, s, [LETTER_WIDTH / 2] * 2)]
    if len(second) == 1:
        signatures += [Spacer(1, 8 * mm),
                       signature_rows([[None, known, None]], s,
                                      [LETTER_WIDTH / 4, LETTER_WIDTH / 2, LETTER_WIDTH / 4])]
    story += [CondPageBreak(70 * mm), *signatures]
    footer = page_footer(f"Perjanjian Kerja Sama Nomor {letter.number}", bottom=LETTER_BOTTOM)
    return render_letter(story, f"Perjanjian Kerja Sama {letter.number}", footer,
                         bottom=LETTER_BOTTOM)

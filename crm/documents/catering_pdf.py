"""Documents a producer group issues for its part of a catering booking: the invoice
(faktur), the receipt (kwitansi) and the delivery note (surat jalan).

Plain data in, PDF bytes out: no database, no request. Like letters, these documents
are always in Indonesian (an office's reimbursement file, SPJ, needs them so). Every
piece of user text is escaped before it reaches a Paragraph, so a name such as
``<img src="http://…">`` is printed as typed and never fetched.
"""

from io import BytesIO

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from crm.documents.catering_content import CateringDocument
from crm.documents.catering_parts import (
    bank_text,
    customer_rows,
    deliver_text,
    header,
    joined,
    line_text,
    lines_table,
    long_day,
    signature_block,
    two_columns,
)
from crm.documents.glyphs import LIST_MARK
from crm.documents.style import (
    CONTENT_WIDTH,
    INK,
    LINE,
    SOFT,
    catering_styles,
    day_text,
    escape,
    plain_lines,
    slip_document,
)
from crm.text.money import format_rupiah
from crm.text.money_words import rupiah_in_words_capitalised

# Above this amount a receipt needs a Rp 10.000 duty stamp (bea meterai).
METERAI_THRESHOLD = 5_000_000
PAYMENT_DUE_DAYS = 14


def build_receipt_pdf(doc: CateringDocument) -> bytes:
    """The receipt (kwitansi) as A4 PDF bytes."""
    styles = catering_styles()
    out = BytesIO()
    story = header(doc, styles, "KWITANSI")

    body, bold = styles["body"], styles["bold"]
    customer = doc.customer_name + (f"\n{doc.customer_unit}" if doc.customer_unit else "")
    words = Table([[plain_lines(rupiah_in_words_capitalised(doc.total), styles["words"])]],
                  colWidths=[CONTENT_WIDTH - 48 * mm])
    words.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.8, INK),
        ("BACKGROUND", (0, 0), (-1, -1), SOFT),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 * mm),
        ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
    ]))
    purpose = [
        plain_lines(f"Konsumsi ({doc.kind_label.lower()}) untuk acara "
                    f"\u201c{doc.event_title}\u201d, {long_day(doc.event_day)}"
                    + (f", di {doc.event_place}" if doc.event_place else "") + ":", body),
    ]
    purpose += [plain_lines(f"{LIST_MARK} {line_text(line)}", styles["cell"])
                for line in doc.lines]
    rows = [
        [plain_lines("Sudah terima dari", bold), plain_lines(":", body),
         plain_lines(customer, body)],
        [plain_lines("Uang sejumlah", bold), plain_lines(":", body), words],
        [plain_lines("Untuk pembayaran", bold), plain_lines(":", body), purpose],
    ]
    facts = Table(rows, colWidths=[40 * mm, 5 * mm, CONTENT_WIDTH - 45 * mm])
    facts.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
        # The label sits level with the words inside their box.
        ("TOPPADDING", (0, 1), (1, 1), 3 * mm),
        ("LINEBELOW", (2, 0), (2, 0), 0.4, LINE, None, (1, 2)),
        ("LINEBELOW", (2, 2), (2, 2), 0.4, LINE, None, (1, 2)),
    ]))
    story += [facts, Spacer(1, 6 * mm)]

    amount = Table([[plain_lines(format_rupiah(doc.total), styles["amount"])]],
                   colWidths=[70 * mm])
    amount.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 1.5, INK),
        ("BACKGROUND", (0, 0), (-1, -1), SOFT),
        ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
        ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
    ]))
    left = [plain_lines("Jumlah", styles["small"]), amount, Spacer(1, 5 * mm)]
    s = doc.supplier
    if s.has_bank_account:
        left.append(plain_lines("Rekening penerima:", styles["small"]))
        left.append(plain_lines(bank_text(s), styles["cell"]))
    if s.npwp:
        left.append(plain_lines(f"NPWP: {s.npwp}", styles["cell"]))
    if doc.booking_ref:
        left.append(Spacer(1, 2 * mm))
        left.append(plain_lines(doc.booking_ref, styles["small"]))
    signature = signature_block(doc, styles, "Penerima,",
                                meterai=doc.total > METERAI_THRESHOLD)
    bottom = Table([[left, signature]], colWidths=[CONTENT_WIDTH - 75 * mm, 75 * mm])
    bottom.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (0, 0), 0),
    ]))
    story.append(KeepTogether([bottom]))
    story.append(Spacer(1, 8 * mm))
    story.append(plain_lines(
        "Jumlah di atas adalah jumlah bruto; pemotongan pajak (PPh) dilakukan oleh "
        "instansi pemungut sesuai ketentuan.", styles["small"]))
    slip_document(out, "Kwitansi").build(story)
    return out.getvalue()


def build_invoice_pdf(doc: CateringDocument) -> bytes:
    """The invoice (faktur) as A4 PDF bytes."""
    styles = catering_styles()
    out = BytesIO()
    story = header(doc, styles, "FAKTUR")
    event_rows = [
        ("Tanggal", day_text(doc.issued_on)),
        ("Acara", doc.event_title),
        ("Tanggal acara", long_day(doc.event_day)),
        ("Dikirim", deliver_text(doc)),
        ("Tempat", doc.deliver_place or doc.event_place),
        ("Jenis", doc.kind_label),
    ]
    story += [two_columns(customer_rows(doc), event_rows, styles), Spacer(1, 6 * mm)]
    story += [lines_table(doc, styles, prices=True), Spacer(1, 3 * mm)]
    story.append(joined(["Terbilang:", rupiah_in_words_capitalised(doc.total)],
                         styles["words"], " "))
    story.append(Spacer(1, 6 * mm))

    s = doc.supplier
    pay = [plain_lines("Pembayaran", styles["bold"])]
    if s.has_bank_account:
        pay.append(plain_lines(f"Mohon transfer ke rekening {bank_text(s)}.", styles["para"]))
    else:
        pay.append(plain_lines(f"Pembayaran tunai kepada {s.chair_name or s.name}.",
                               styles["para"]))
    if s.npwp:
        pay.append(plain_lines(f"NPWP penyedia: {s.npwp}", styles["para"]))
    pay.append(plain_lines(
        f"Mohon dibayar paling lambat {PAYMENT_DUE_DAYS} hari setelah faktur ini diterima, "
        "dengan menyebut nomor faktur.", styles["para"]))
    pay.append(plain_lines("Jumlah di atas adalah jumlah bruto; pemotongan pajak (PPh) dilakukan "
                     "oleh instansi pemungut sesuai ketentuan.", styles["small"]))
    if doc.booking_ref:
        pay.append(plain_lines(doc.booking_ref, styles["small"]))
    bottom = Table([[pay, signature_block(doc, styles, "Hormat kami,")]],
                   colWidths=[CONTENT_WIDTH - 75 * mm, 75 * mm])
    bottom.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                ("LEFTPADDING", (0, 0), (0, 0), 0)]))
    story.append(KeepTogether([bottom]))
    slip_document(out, "Faktur").build(story)
    return out.getvalue()


def build_delivery_note_pdf(doc: CateringDocument) -> bytes:
    """The delivery note (surat jalan) as A4 PDF bytes."""
    styles = catering_styles()
    out = BytesIO()
    story = header(doc, styles, "SURAT JALAN")
    event_rows = [
        ("Acara", doc.event_title),
        ("Tanggal acara", long_day(doc.event_day)),
        ("Waktu kirim", deliver_text(doc)),
        ("Tempat kirim", doc.deliver_place or doc.event_place),
        ("Jenis", doc.kind_label),
    ]
    story += [two_columns(customer_rows(doc), event_rows, styles), Spacer(1, 6 * mm)]
    story += [lines_table(doc, styles, prices=False), Spacer(1, 4 * mm)]
    if doc.dietary_notes:
        story.append(plain_lines("Catatan makanan (halal, alergi, dll.):", styles["bold"]))
        story.append(plain_lines(doc.dietary_notes, styles["body"]))
        story.append(Spacer(1, 4 * mm))
    story.append(plain_lines("Barang di atas telah diterima dalam keadaan baik dan jumlah yang "
                       "sesuai.", styles["body"]))
    if doc.booking_ref:
        story.append(plain_lines(doc.booking_ref, styles["small"]))
    story.append(Spacer(1, 6 * mm))

    def block(heading, name, role):
        signed = (Paragraph(f"<u>{escape(name)}</u>", styles["centerbold"]) if name
                  else plain_lines("(" + "." * 40 + ")", styles["center"]))
        rows = [[plain_lines(heading, styles["center"])], [Spacer(1, 20 * mm)], [signed],
                [plain_lines(role, styles["meterai"])]]
        table = Table(rows, colWidths=[80 * mm])
        table.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER")]))
        return table

    receiver = block("Diterima oleh,", "", f"Nama jelas dan tanda tangan\n{doc.customer_name}")
    sender = block("Dikirim oleh,", doc.supplier.chair_name, doc.supplier.name)
    story.append(plain_lines(f"{doc.place}, {day_text(doc.issued_on)}", styles["body"]))
    story.append(Spacer(1, 2 * mm))
    signatures = Table([[receiver, sender]], colWidths=[CONTENT_WIDTH / 2] * 2)
    signatures.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                    ("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    story.append(KeepTogether([signatures]))
    slip_document(out, "Surat Jalan").build(story)
    return out.getvalue()


BUILDERS = {
    "invoice": build_invoice_pdf,
    "receipt": build_receipt_pdf,
    "delivery": build_delivery_note_pdf,
}


def build_catering_pdf(kind: str, doc: CateringDocument) -> bytes:
    """The ``kind`` ("invoice", "receipt", "delivery") document as PDF bytes."""
    return BUILDERS[kind](doc)

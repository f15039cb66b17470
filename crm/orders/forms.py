"""Order entry and order step forms."""

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from crm.orders.models import ORDER_CHANNELS
from crm.web.fields import RupiahField, no_control_characters, text_field
from crm.web.forms import AppForm
from crm.web.i18n import lazy_gettext as _l

CHANNEL_LABELS = {
    "shopee": "Shopee", "tokopedia": "Tokopedia", "tiktok": "TikTok Shop",
    "whatsapp": "WhatsApp", "facebook": "Facebook", "instagram": "Instagram",
    "website": _l("Katalog desa"), "direct": _l("Langsung"),
}
STATUS_LABELS = {
    "new": _l("Baru"), "confirmed": _l("Dikonfirmasi"), "packed": _l("Dikemas"),
    "shipped": _l("Dikirim"), "finished": _l("Selesai"), "cancelled": _l("Batal"),
}
# What happens next, in plain words, for each status.
NEXT_STEP_HINTS = {
    "new": _l("Menunggu produsen mengonfirmasi. Stok diambil saat dikonfirmasi."),
    "confirmed": _l("Produsen menyiapkan dan mengemas pesanan."),
    "packed": _l("Siap dikirim: produsen menyerahkan ke kurir dan mengisi nomor resi."),
    "shipped": _l("Dalam perjalanan. Tandai selesai setelah pembeli menerima."),
    "finished": _l("Selesai. Setor harga reseller ke kelompok bila belum."),
    "cancelled": _l("Dibatalkan. Stok sudah dikembalikan."),
}
STEP_LABELS = {
    "confirm": _l("Konfirmasi pesanan"), "pack": _l("Sudah dikemas"),
    "ship": _l("Sudah dikirim"), "finish": _l("Pesanan diterima pembeli"),
    "cancel": _l("Batalkan pesanan"),
}
STEP_SLUGS = {
    "konfirmasi": "confirm", "kemas": "pack", "kirim": "ship", "selesai": "finish",
    "batal": "cancel",
}


class OrderForm(AppForm):
    channel = SelectField(_l("Dari mana pesanan ini?"), choices=[
        SelectChoice(c, CHANNEL_LABELS[c]) for c in ORDER_CHANNELS])
    marketplace_ref = text_field(_l("Nomor pesanan marketplace (boleh kosong)"), 60, message=None)
    customer_name = StringField(_l("Nama pembeli"), validators=[
        DataRequired(_l("Isi nama pembeli.")), Length(max=120), no_control_characters])
    customer_phone = text_field(_l("Nomor HP pembeli"), 30, message=None,
                                render_kw={"inputmode": "tel", "autocomplete": "off"})
    address = TextAreaField(_l("Alamat kirim"), validators=[
        DataRequired(_l("Isi alamat kirim pembeli.")), Length(max=500), no_control_characters])
    kecamatan = text_field(_l("Kecamatan"), 60, message=None)
    kabupaten = text_field(_l("Kabupaten/Kota"), 60, message=None)
    postcode = text_field(_l("Kode pos"), 5, message=None, render_kw={"inputmode": "numeric"})
    courier = text_field(_l("Kurir"), 40, message=None,
                         render_kw={"placeholder": "JNE, J&T, SiCepat…"})
    courier_service = text_field(_l("Layanan kurir"), 40, message=None,
                                 render_kw={"placeholder": "REG, YES…"})
    shipping_cost = RupiahField(_l("Ongkos kirim"), validators=[Optional()])
    payment = SelectField(_l("Pembayaran"), choices=[
        SelectChoice("paid", _l("Sudah dibayar / transfer")),
        SelectChoice("cod", _l("Bayar di tempat (COD)"))])
    dropship = BooleanField(_l("Kirim sebagai dropshipper (nama saya sebagai pengirim)"),
                            default=True)
    ship_date = DateField(_l("Tanggal kirim"), validators=[Optional()])
    notes = TextAreaField(_l("Catatan"), validators=[
        Optional(), Length(max=500), no_control_characters])
    form_token = HiddenField()

    def values(self) -> dict:
        return {name: self[name].data for name in (
            "channel", "marketplace_ref", "customer_name", "customer_phone", "address",
            "kecamatan", "kabupaten", "postcode", "courier", "courier_service",
            "shipping_cost", "payment", "dropship", "ship_date", "notes")}


# The longest chat message read into an order: one order, not a whole chat.
PASTE_MAX = 2_000
# What a pasted message may leave empty, named in the note above the filled form.
PASTE_MISSING_LABELS = {
    "lines": _l("produk dan jumlah"), "customer_name": _l("nama pembeli"),
    "customer_phone": _l("nomor HP"), "address": _l("alamat"),
}


class PasteForm(AppForm):
    """A customer's WhatsApp message, pasted to fill the order form (never saved)."""

    message = TextAreaField(_l("Pesan WhatsApp pembeli"), validators=[
        DataRequired(_l("Tempel dulu pesan WhatsApp pembeli di kotak ini.")),
        Length(max=PASTE_MAX, message=_l(
            "Pesan terlalu panjang: paling banyak 2.000 karakter. Tempel satu pesanan saja.")),
    ], render_kw={"rows": 5, "placeholder": _l(
        "Contoh: Pesan 2 ladu ketan, kirim ke Bu Iis, Jl. Raya Katapang No. 5, "
        "HP 0812-3456-7890")})


class StepForm(AppForm):
    tracking_number = text_field(_l("Nomor resi"), 60, message=None)
    reason = text_field(_l("Alasan"), 300, message=None)


class LabelForm(AppForm):
    """The marketplace's shipping label, a PDF (checked by crm.orders.labels)."""

    label = FileField(_l("Label pengiriman dari marketplace (PDF, paling besar 2 MB)"),
                      render_kw={"accept": "application/pdf,.pdf"})

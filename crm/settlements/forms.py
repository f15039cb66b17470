"""Return, payment and payment-decision forms, and the labels of their choices."""

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from crm.web.fields import RupiahField, no_control_characters
from crm.web.forms import AppForm
from crm.web.i18n import lazy_gettext as _l

RETURN_REASON_LABELS = {
    "defect": _l("Cacat produksi"),
    "expired": _l("Kedaluwarsa"),
    "damaged": _l("Rusak di perjalanan"),
    "wrong_item": _l("Salah kirim"),
    "refused_cod": _l("Pembeli menolak COD"),
}
LOSS_BEARER_LABELS = {"producer": _l("Produsen"), "reseller": _l("Reseller")}
PAYMENT_STATUS_LABELS = {
    "submitted": _l("Menunggu konfirmasi"),
    "confirmed": _l("Dikonfirmasi"),
    "rejected": _l("Ditolak"),
}
ENTRY_KIND_LABELS = {
    "shipment": _l("Pengiriman"), "return": _l("Retur"), "payment": _l("Setoran"),
}


class ReturnForm(AppForm):
    line_id = SelectField(_l("Barang"), coerce=int, validate_choice=True)
    quantity = IntegerField(_l("Jumlah dikembalikan"), validators=[
        InputRequired(_l("Isi jumlah.")),
        NumberRange(min=1, max=1_000_000, message=_l("Isi angka minimal 1."))],
        render_kw={"inputmode": "numeric"})
    reason = SelectField(_l("Alasan"), choices=[
        SelectChoice(k, v) for k, v in RETURN_REASON_LABELS.items()])
    borne_by = RadioField(_l("Kerugian ditanggung"), choices=[
        SelectChoice(k, v) for k, v in LOSS_BEARER_LABELS.items()], default="producer",
        description=_l("Bila produsen menanggung, tagihan reseller berkurang seharga "
                       "barang yang diretur."))
    resaleable = BooleanField(_l("Barang masih layak jual (stok kembali)"))
    note = StringField(_l("Catatan"), validators=[
        Optional(), Length(max=300), no_control_characters])
    form_token = HiddenField()


class PaymentForm(AppForm):
    group_id = SelectField(_l("Kelompok yang menerima"), coerce=int, validate_choice=True)
    amount = RupiahField(_l("Jumlah transfer"), validators=[
        InputRequired(_l("Isi jumlah rupiah."))],
        description=_l("Contoh: 150.000"))
    paid_on = DateField(_l("Tanggal transfer"), validators=[
        InputRequired(_l("Isi tanggal transfer."))])
    reference = StringField(_l("Keterangan / nomor referensi"), validators=[
        Optional(), Length(max=80), no_control_characters],
        description=_l("Misalnya bank dan nomor referensi transfer."))
    proof = FileField(_l("Foto bukti transfer (boleh kosong)"),
                      render_kw={"accept": "image/jpeg,image/png"})
    form_token = HiddenField()


class DecisionForm(AppForm):
    note = StringField(_l("Catatan"), validators=[
        Optional(), Length(max=300), no_control_characters])

"""The form of the sales a group records outside the MRSE channels."""

from wtforms import HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from crm.web.fields import DayField, RupiahField
from crm.web.forms import AppForm
from crm.web.i18n import lazy_gettext as _l

OTHER_SALE_CHANNEL_LABELS = {
    "direct": _l("Langsung / di rumah"),
    "market": _l("Pasar"),
    "other": _l("Lainnya"),
}
SPAN_LABELS = {
    "day": _l("Satu hari"),
    "month": _l("Total satu bulan"),
}


class OtherSalesForm(AppForm):
    """A day's or a month's sales outside the MRSE channels, in a few taps."""

    amount = RupiahField(_l("Jumlah penjualan"), validators=[
        InputRequired(_l("Isi jumlah rupiah."))], description=_l("Contoh: 450.000"))
    channel = RadioField(_l("Dijual di"), choices=[
        SelectChoice(k, label) for k, label in OTHER_SALE_CHANNEL_LABELS.items()],
        default="direct", validators=[InputRequired(_l("Pilih tempat penjualan."))])
    span = RadioField(_l("Untuk"), choices=[
        SelectChoice(k, label) for k, label in SPAN_LABELS.items()], default="day",
        validators=[InputRequired(_l("Pilih satu hari atau satu bulan."))])
    sold_on = DayField(_l("Tanggal (untuk total sebulan: tanggal mana saja di bulan itu)"),
                       validators=[InputRequired(_l("Isi tanggal."))],
                       render_kw={"type": "date"})
    form_token = HiddenField()

    def values(self) -> dict:
        return {"amount": self.amount.data, "channel": self.channel.data,
                "sold_on": self.sold_on.data, "whole_month": self.span.data == "month"}

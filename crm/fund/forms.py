"""Forms of the community fund: the rule, a disbursement request, a decision."""

from wtforms import HiddenField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional

from crm.fund.labels import MODE_LABELS, PURPOSE_LABELS
from crm.text.percent import PercentError, parse_percent, percent_text
from crm.web.fields import (
    DayField,
    RupiahField,
    length_limit,
    no_control_characters,
    notes_field,
)
from crm.web.forms import AppForm
from crm.web.i18n import lazy_gettext as _l


class PercentField(StringField):
    """A percentage typed as "2,5", "2.5" or "5"; ``data`` is basis points (250)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {}).setdefault("inputmode", "decimal")
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not raw:
            return
        try:
            self.data = parse_percent(raw)
        except PercentError as exc:
            raise ValueError(exc.message) from exc

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else percent_text(self.data)


class RuleForm(AppForm):
    """How the group fills its fund: a percentage of each sale or an amount a month."""

    mode = RadioField(_l("Cara iuran"), choices=[
        SelectChoice(k, label) for k, label in MODE_LABELS.items()], default="percent",
        validators=[InputRequired(_l("Pilih cara iuran."))])
    rate = PercentField(_l("Persen dari setiap penjualan (%)"),
                        description=_l("Contoh: 2,5 atau 5. Dihitung dari pesanan selesai, "
                                       "pesanan acara lunas dan titip jual yang laku."))
    fixed_amount = RupiahField(_l("Jumlah setiap bulan"), validators=[Optional()],
                               description=_l("Contoh: 50.000"))
    starts_on = DayField(_l("Mulai berlaku"), validators=[
        InputRequired(_l("Isi tanggal mulai berlaku."))], render_kw={"type": "date"})

    def validate(self, extra_validators=None) -> bool:
        """Only the amount field of the chosen way counts: a leftover in the other
        field is ignored."""
        super().validate(extra_validators)
        unused = self.fixed_amount if self.mode.data == "percent" else self.rate
        unused.errors = []
        return not any(field.errors for field in self) and not self.form_errors

    def values(self) -> dict:
        return {"mode": self.mode.data, "rate_bp": self.rate.data,
                "fixed_amount": self.fixed_amount.data, "starts_on": self.starts_on.data}


class RequestForm(AppForm):
    """A request for money out of the fund, decided by the village officer."""

    amount = RupiahField(_l("Jumlah"), validators=[InputRequired(_l("Isi jumlah rupiah."))],
                         description=_l("Contoh: 250.000"))
    purpose = SelectField(_l("Keperluan"), choices=[
        SelectChoice(k, label) for k, label in PURPOSE_LABELS.items()])
    recipient = StringField(_l("Penerima"), validators=[
        DataRequired(_l("Isi nama penerima.")), length_limit(160), no_control_characters],
        render_kw={"placeholder": _l("Keluarga Bapak Ujang, RT 02")})
    description = notes_field(_l("Keterangan (boleh kosong)"), 2000)
    occurred_on = DayField(_l("Tanggal"), validators=[InputRequired(_l("Isi tanggal."))],
                           render_kw={"type": "date"})
    form_token = HiddenField()

    def values(self) -> dict:
        return {"amount": self.amount.data, "purpose": self.purpose.data,
                "recipient": self.recipient.data, "description": self.description.data,
                "occurred_on": self.occurred_on.data}


class DecisionForm(AppForm):
    """The officer's note on a request; a rejection needs it."""

    note = notes_field(_l("Catatan (wajib bila ditolak)"), 300, render_kw={"rows": 2})

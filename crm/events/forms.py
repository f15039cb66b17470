"""Forms for events, catering bookings, their steps and spending ceilings."""

from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from crm.events.catering import MAX_LINES, MAX_QUANTITY
from crm.events.services import MAX_HEADCOUNT
from crm.web.fields import (
    CountField,
    DayField,
    RupiahField,
    YearField,
    length_limit,
    no_control_characters,
    notes_field,
    text_field,
)
from crm.web.forms import AppForm
from crm.web.i18n import lazy_gettext as _l

KIND_LABELS = {"snack": _l("Snack/kue"), "meal": _l("Makan")}
STATUS_LABELS = {
    "requested": _l("Diminta"), "confirmed": _l("Dikonfirmasi"), "delivered": _l("Diantar"),
    "invoiced": _l("Ditagih"), "paid": _l("Lunas"), "cancelled": _l("Batal"),
}
EVENT_STATUS_LABELS = {"planned": _l("Direncanakan"), "cancelled": _l("Dibatalkan")}
STEP_LABELS = {
    "confirm": _l("Konfirmasi"), "deliver": _l("Sudah diantar"),
    "invoice": _l("Tagihan sudah dikirim"), "pay": _l("Sudah dibayar (lunas)"),
    "cancel": _l("Batalkan pesanan"),
}
STEP_SLUGS = {
    "konfirmasi": "confirm", "kirim": "deliver", "tagih": "invoice", "lunas": "pay",
    "batal": "cancel",
}
# What happens next, in plain words, for each status.
NEXT_STEP_HINTS = {
    "requested": _l("Menunggu setiap kelompok mengonfirmasi barisnya."),
    "confirmed": _l("Semua kelompok sudah konfirmasi. Antar tepat waktu, lalu tandai "
                    "sudah diantar."),
    "delivered": _l("Sudah diantar. Petugas mengirim faktur dan kuitansi ke lembaga."),
    "invoiced": _l("Tagihan sudah dikirim; menunggu pembayaran."),
    "paid": _l("Lunas. Terima kasih."),
    "cancelled": _l("Dibatalkan. Kapasitas produksi hari itu sudah dikembalikan."),
}


class ClockField(TimeField):
    """A time from ``<input type="time">`` (HH:MM), with an Indonesian message."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {}).setdefault("type", "time")
        super().__init__(label, validators, format=["%H:%M", "%H.%M", "%H:%M:%S"], **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            self.data = None
            raise ValueError(str(_l("Tulis jam yang benar, misalnya 09:30."))) from exc


def _date(label, required=True):
    validators = [InputRequired(_l("Isi tanggal."))] if required else [Optional()]
    return DayField(label, validators=validators, render_kw={"type": "date"})


def _time(label, required=True):
    validators = [InputRequired(_l("Isi jam."))] if required else [Optional()]
    return ClockField(label, validators=validators)


class EventForm(AppForm):
    """An event of a partner institution (dates and times in the village's zone)."""

    partner_id = SelectField(_l("Lembaga"), coerce=int, validate_choice=True)
    title = StringField(_l("Nama acara"), validators=[
        DataRequired(_l("Isi nama acara.")), length_limit(200), no_control_characters],
        render_kw={"placeholder": _l("Rapat bulanan Pemerintah Desa")})
    place = text_field(_l("Tempat"), 200, render_kw={"placeholder": _l("Balai Desa")})
    start_date = _date(_l("Tanggal mulai"))
    start_time = _time(_l("Jam mulai"))
    end_date = _date(_l("Tanggal selesai"), required=False)
    end_time = _time(_l("Jam selesai"))
    headcount = CountField(_l("Jumlah peserta"), validators=[
        Optional(), NumberRange(0, MAX_HEADCOUNT, _l("Jumlah peserta 0 sampai %(max)d."))])
    notes = notes_field(_l("Catatan"), 2000)


class ReasonForm(AppForm):
    """A step on a booking or event; ``reason`` only for cancelling."""

    reason = text_field(_l("Alasan"), 300)


class LineForm(Form):
    """One line of a booking: a group, optionally its product, what and how many."""

    # A line left out of the request counts as an empty line, not a wrong choice.
    group_id = SelectField(_l("Kelompok"), choices=[], default="")
    product_id = SelectField(_l("Produk (boleh kosong)"), choices=[], default="")
    description = text_field(_l("Barang"), 200, render_kw={"placeholder": _l("Snack box")})
    quantity = CountField(_l("Jumlah"), validators=[
        Optional(), NumberRange(1, MAX_QUANTITY, _l("Jumlah 1 sampai %(max)d."))])
    unit_price = RupiahField(_l("Harga satuan"), validators=[Optional()])

    def values(self) -> dict:
        return {
            "group_id": int(self.group_id.data) if self.group_id.data else None,
            "product_id": int(self.product_id.data) if self.product_id.data else None,
            "description": self.description.data or "",
            "quantity": self.quantity.data, "unit_price": self.unit_price.data,
        }


class BookingForm(AppForm):
    """Food for an event, split over up to five lines (one group each)."""

    kind = SelectField(_l("Jenis konsumsi"), choices=[
        SelectChoice(k, label) for k, label in KIND_LABELS.items()])
    deliver_date = _date(_l("Tanggal antar"))
    deliver_time = _time(_l("Jam antar"))
    deliver_place = text_field(_l("Tempat antar"), 200)
    dietary_notes = notes_field(_l("Catatan makanan (halal, alergi, pantangan)"), 1000)
    lines = FieldList(FormField(LineForm), min_entries=MAX_LINES, max_entries=MAX_LINES)
    form_token = HiddenField()

    def set_choices(self, groups, products) -> None:
        """Groups of the event's village; their products under each group's name."""
        group_choices = [SelectChoice("", _l("— pilih kelompok —"))] + [
            SelectChoice(str(g.id), g.name) for g in groups]
        names = {g.id: g.name for g in groups}
        product_choices = [SelectChoice("", _l("— tanpa produk katalog —"))] + [
            SelectChoice(str(p.id), p.name, optgroup=names.get(p.group_id, ""))
            for p in products]
        for entry in self.lines:
            entry.form.group_id.choices = group_choices
            entry.form.product_id.choices = product_choices

    def line_values(self) -> list[dict]:
        return [entry.form.values() for entry in self.lines]


class CeilingForm(AppForm):
    """The spending ceiling (SBM) per person for a village, year and kind."""

    village_id = SelectField(_l("Desa"), coerce=int)
    year = YearField(_l("Tahun"), validators=[
        InputRequired(_l("Isi tahun.")), NumberRange(2000, 2100, _l("Tahun 2000 sampai 2100."))],
        render_kw={"inputmode": "numeric"})
    kind = SelectField(_l("Jenis konsumsi"), choices=[
        SelectChoice(k, label) for k, label in KIND_LABELS.items()])
    amount = RupiahField(_l("Batas per orang"), validators=[
        InputRequired(_l("Isi batas biaya per orang."))])

"""Forms for outlets, drops (goods left at an outlet) and visits."""

from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    NumberRange,
    Optional,
    ValidationError,
)

from crm.consignment.services import MAX_QUANTITY
from crm.text.money import RupiahError, parse_rupiah
from crm.text.percent import parse_percent
from crm.web.fields import (
    CountField,
    DayField,
    PhoneField,
    RupiahField,
    length_limit,
    no_control_characters,
    notes_field,
    text_field,
)
from crm.web.forms import AppForm
from crm.web.i18n import lazy_gettext as _l

KIND_LABELS = {
    "warung": _l("Warung"), "pasar": _l("Lapak pasar"), "kios": _l("Kios"),
    "toko": _l("Toko"), "other": _l("Lainnya"),
}
CUT_LABELS = {"percent": _l("Persen dari harga"), "fixed": _l("Rupiah per barang")}
STATUS_LABELS = {"open": _l("Masih di rak"), "closed": _l("Selesai")}


class ChoiceField(SelectField):
    """A select whose "not in the list" message is plain Indonesian."""

    def __init__(self, label=None, validators=None, message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.choice_message = message or _l("Pilih salah satu dari daftar.")

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            self.data = None
            raise ValueError(str(self.choice_message)) from exc

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError as exc:
            raise ValidationError(str(self.choice_message)) from exc


def _count(label, required=False, minimum=0):
    validators = [InputRequired(_l("Isi jumlah."))] if required else [Optional()]
    validators.append(NumberRange(minimum, MAX_QUANTITY,
                                  _l("Jumlah %(min)d sampai %(max)d.")))
    return CountField(label, validators=validators,
                      message=_l("Tulis jumlah dengan angka, misalnya 12."))


class OutletForm(AppForm):
    """A warung, market stall or kiosk; ``group_id`` only when an officer adds one,
    ``active`` only when editing."""

    group_id = ChoiceField(_l("Kelompok"), coerce=int, message=_l("Pilih kelompok dari daftar."))
    kind = ChoiceField(_l("Jenis tempat"), choices=[
        SelectChoice(k, label) for k, label in KIND_LABELS.items()])
    name = StringField(_l("Nama warung/lapak"), validators=[
        DataRequired(_l("Isi nama warung atau lapak.")), length_limit(120), no_control_characters],
        render_kw={"placeholder": _l("Warung Bu Imas")})
    owner_name = text_field(_l("Nama pemilik"), 120)
    phone = PhoneField(_l("Nomor HP/WA pemilik"))
    outlet_village = text_field(_l("Desa tempatnya"), 120,
                                render_kw={"placeholder": _l("Katapang")})
    address = notes_field(_l("Alamat"), 1000)
    notes = notes_field(_l("Catatan"), 2000)
    active = BooleanField(_l("Masih aktif (masih dititipi barang)"))

    def values(self) -> dict:
        values = {name: getattr(self, name).data for name in (
            "kind", "name", "owner_name", "phone", "outlet_village", "address", "notes")}
        if "active" in self:
            values["active"] = self.active.data
        return values


class DropForm(AppForm):
    """Goods left at an outlet: product, how many, price and the outlet's cut."""

    product_id = ChoiceField(_l("Produk"), coerce=int,
                             message=_l("Pilih produk aktif dari kelompok ini."))
    quantity = _count(_l("Jumlah dititip"), required=True, minimum=1)
    unit_price = RupiahField(_l("Harga jual per barang"), validators=[Optional()])
    cut_kind = ChoiceField(_l("Potongan warung"), choices=[
        SelectChoice(k, label) for k, label in CUT_LABELS.items()])
    cut_value = StringField(_l("Besar potongan"), validators=[Optional(), length_limit(20)],
                            render_kw={"inputmode": "decimal"})
    placed_on = DayField(_l("Tanggal taruh"), validators=[Optional()],
                         render_kw={"type": "date"})
    pull_back_on = DayField(_l("Tarik paling lambat"), validators=[Optional()],
                            render_kw={"type": "date"})
    notes = notes_field(_l("Catatan"), 1000)
    form_token = HiddenField()

    def validate_cut_value(self, field) -> None:
        """Read the cut as a percentage ("10", "12,5") or rupiah per unit ("1.000")."""
        field.parsed = 0
        text = (field.data or "").strip()
        if not text:
            return
        if self.cut_kind.data == "fixed":
            try:
                field.parsed = parse_rupiah(text)
            except RupiahError as exc:
                raise ValidationError(str(_l(
                    "Tulis potongan rupiah per barang, misalnya 1.000."))) from exc
        else:
            try:
                field.parsed = parse_percent(text)
            except ValueError as exc:
                raise ValidationError(str(_l(
                    "Tulis persen 0 sampai 100, misalnya 10 atau 12,5."))) from exc

    def values(self) -> dict:
        return {
            "quantity": self.quantity.data, "unit_price": self.unit_price.data,
            "cut_kind": self.cut_kind.data,
            "cut_value": getattr(self.cut_value, "parsed", 0),
            "placed_on": self.placed_on.data, "pull_back_on": self.pull_back_on.data,
            "notes": self.notes.data,
        }


class RowForm(Form):
    """One open drop on the visit form: what is still there, taken back, thrown away."""

    drop_id = HiddenField()
    seen = HiddenField()
    remaining = _count(_l("Sisa di rak"))
    returned = _count(_l("Ditarik"))
    expired = _count(_l("Rusak"))

    def values(self) -> dict:
        def number(text):
            text = str(text if text is not None else "").strip()
            return int(text) if text.isdigit() and text.isascii() and len(text) < 10 else None
        return {"drop_id": number(self.drop_id.data), "seen": number(self.seen.data),
                "remaining": self.remaining.data, "returned": self.returned.data,
                "expired": self.expired.data}


class VisitForm(AppForm):
    """A visit: each open drop counted, and the cash the outlet paid."""

    visited_on = DayField(_l("Tanggal kunjungan"), validators=[
        InputRequired(_l("Isi tanggal."))], render_kw={"type": "date"})
    rows = FieldList(FormField(RowForm), min_entries=0, max_entries=200)
    cash_collected = RupiahField(_l("Uang diterima dari warung"), validators=[Optional()])
    notes = notes_field(_l("Catatan"), 1000)
    form_token = HiddenField()

    def row_values(self) -> list[dict]:
        return [entry.form.values() for entry in self.rows]

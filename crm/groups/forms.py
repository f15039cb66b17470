"""Producer group forms: the profile, and the village it belongs to when created."""

from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from crm.groups.services import GROUP_FIELDS
from crm.web.fields import PhoneField, no_control_characters
from crm.web.forms import AppForm
from crm.web.i18n import lazy_gettext as _l

GROUP_KIND_LABELS = {
    "food": _l("Makanan & minuman"), "craft": _l("Kerajinan"), "other": _l("Lainnya"),
}


class YearField(IntegerField):
    """A year such as 2019, with an Indonesian message when it is not a number."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            self.data = None
            raise ValueError(str(_l("Tulis tahun dengan angka, misalnya 2019."))) from exc


class DayField(DateField):
    """A date from ``<input type="date">``, with an Indonesian message when it is wrong."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            self.data = None
            raise ValueError(str(_l("Tulis tanggal yang benar, misalnya 2027-12-31."))) from exc


def _long(max_length: int) -> Length:
    return Length(max=max_length, message=_l("Terlalu panjang: paling banyak %(max)d karakter."))


def _text(label, max_length, **kwargs):
    return StringField(label, validators=[Optional(), _long(max_length), no_control_characters],
                       **kwargs)


def _rt_rw(label, message):
    return StringField(label, validators=[Optional(), Length(max=3, message=message)],
                       render_kw={"inputmode": "numeric", "maxlength": "3"})


def _digits(**render_kw):
    return {"inputmode": "numeric", **render_kw}


class GroupForm(AppForm):
    """The profile of a group, edited by its officer or its own producers."""

    name = StringField(_l("Nama kelompok"), validators=[
        DataRequired(_l("Isi nama kelompok.")), _long(120), no_control_characters])
    kind = SelectField(_l("Jenis usaha"), choices=[
        SelectChoice(k, v) for k, v in GROUP_KIND_LABELS.items()])
    description = TextAreaField(_l("Tentang kelompok"), validators=[
        Optional(), _long(4000), no_control_characters],
        description=_l("Apa yang dibuat, sejak kapan, keunggulannya."))
    chair_name = _text(_l("Nama ketua"), 120)
    phone = PhoneField(_l("Nomor HP / WhatsApp kelompok"), validators=[Optional()],
                       description=_l("Contoh: 0812-3456-7890."))
    since_year = YearField(_l("Berdiri sejak tahun"), validators=[Optional()],
                           render_kw=_digits())
    dusun = _text(_l("Dusun / kampung"), 60)
    rw = _rt_rw(_l("RW"), _l("RW diisi angka saja, paling banyak 3 angka."))
    rt = _rt_rw(_l("RT"), _l("RT diisi angka saja, paling banyak 3 angka."))
    address = TextAreaField(_l("Alamat (jalan, patokan)"), validators=[
        Optional(), _long(500), no_control_characters])
    bank_name = _text(_l("Nama bank"), 60, description=_l("Misalnya BRI, BJB, BSI."))
    bank_account_number = _text(_l("Nomor rekening"), 30, render_kw=_digits())
    bank_account_name = _text(_l("Atas nama"), 120)
    nib = _text(_l("NIB (Nomor Induk Berusaha)"), 20, render_kw=_digits(maxlength="20"),
                description=_l("13 angka, dari OSS. Boleh dikosongkan."))
    pirt_number = _text(_l("Nomor P-IRT"), 30)
    halal_number = _text(_l("Nomor sertifikat halal"), 40)
    halal_expires_on = DayField(_l("Sertifikat halal berlaku sampai"), validators=[Optional()])
    notes = TextAreaField(_l("Catatan pendampingan"), validators=[
        Optional(), _long(4000), no_control_characters])

    def values(self) -> dict:
        """The typed values, keyed like the group's columns."""
        return {name: self[name].data for name in GROUP_FIELDS}


class GroupCreateForm(GroupForm):
    """A new group: the officer also picks one of their villages."""

    village_id = SelectField(_l("Desa"), validate_choice=False)

    def validate_village_id(self, field):
        # The choices are the officer's villages; anything else is refused here
        # (and again by the service), never stored.
        if field.data not in {choice.value for choice in field.choices or ()}:
            raise ValidationError(_l("Pilih salah satu desa wilayah tugas Anda."))

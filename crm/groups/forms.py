"""Producer group forms: the profile, and the village it belongs to when created."""

from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from crm.groups.services import GROUP_FIELDS
from crm.web.fields import (
    DayField,
    PhoneField,
    YearField,
    length_limit,
    no_control_characters,
    notes_field,
    text_field,
)
from crm.web.forms import AppForm
from crm.web.i18n import lazy_gettext as _l

GROUP_KIND_LABELS = {
    "food": _l("Makanan & minuman"), "craft": _l("Kerajinan"), "other": _l("Lainnya"),
}


def _rt_rw(label, message):
    return StringField(label, validators=[Optional(), Length(max=3, message=message)],
                       render_kw={"inputmode": "numeric", "maxlength": "3"})


def _digits(**render_kw):
    return {"inputmode": "numeric", **render_kw}


class GroupForm(AppForm):
    """The profile of a group, edited by its officer or its own producers."""

    name = StringField(_l("Nama kelompok"), validators=[
        DataRequired(_l("Isi nama kelompok.")), length_limit(120), no_control_characters])
    kind = SelectField(_l("Jenis usaha"), choices=[
        SelectChoice(k, v) for k, v in GROUP_KIND_LABELS.items()])
    description = notes_field(_l("Tentang kelompok"), 4000,
                              description=_l("Apa yang dibuat, sejak kapan, keunggulannya."))
    chair_name = text_field(_l("Nama ketua"), 120)
    phone = PhoneField(_l("Nomor HP / WhatsApp kelompok"), validators=[Optional()],
                       description=_l("Contoh: 0812-3456-7890."))
    since_year = YearField(_l("Berdiri sejak tahun"), validators=[Optional()],
                           render_kw=_digits())
    dusun = text_field(_l("Dusun / kampung"), 60)
    rw = _rt_rw(_l("RW"), _l("RW diisi angka saja, paling banyak 3 angka."))
    rt = _rt_rw(_l("RT"), _l("RT diisi angka saja, paling banyak 3 angka."))
    address = notes_field(_l("Alamat (jalan, patokan)"), 500)
    bank_name = text_field(_l("Nama bank"), 60, description=_l("Misalnya BRI, BJB, BSI."))
    bank_account_number = text_field(_l("Nomor rekening"), 30, render_kw=_digits())
    bank_account_name = text_field(_l("Atas nama"), 120)
    nib = text_field(_l("NIB (Nomor Induk Berusaha)"), 20, render_kw=_digits(maxlength="20"),
                     description=_l("13 angka, dari OSS. Boleh dikosongkan."))
    pirt_number = text_field(_l("Nomor P-IRT"), 30)
    halal_number = text_field(_l("Nomor sertifikat halal"), 40)
    halal_expires_on = DayField(_l("Sertifikat halal berlaku sampai"), validators=[Optional()])
    notes = notes_field(_l("Catatan pendampingan"), 4000)

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

"""Forms of the setup pages."""

from flask_wtf.file import FileField
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from crm.auth.forms import NewPasswordForm, username_field
from crm.villages.forms import LetterheadForm
from crm.villages.services import VILLAGE_TIMEZONES
from crm.web.fields import MultiCheckboxField, PhoneField, length_limit
from crm.web.forms import AppForm
from crm.web.i18n import lazy_gettext as _l

TIMEZONE_LABELS = {
    "Asia/Jakarta": _l("WIB (Waktu Indonesia Barat)"),
    "Asia/Makassar": _l("WITA (Waktu Indonesia Tengah)"),
    "Asia/Jayapura": _l("WIT (Waktu Indonesia Timur)"),
}


def _required_text(label, max_length: int, message) -> StringField:
    return StringField(label, validators=[DataRequired(message), length_limit(max_length)])


class FirstAdminForm(NewPasswordForm):
    """The first administrator of a new installation."""

    full_name = _required_text(_l("Nama lengkap"), 120, _l("Isi nama lengkap."))
    username = username_field()
    phone = PhoneField(_l("Nomor HP / WhatsApp"), validators=[Optional()],
                       description=_l("Boleh dikosongkan."))


class VillageForm(LetterheadForm):
    """A village's names, code, time zone and letterhead (the administrator's form).

    The letterhead fields are those of the officers' letterhead page; the name of the
    institution may be left empty on a new village ("Pemerintah Desa …" is used)."""

    code = StringField(
        _l("Kode wilayah (Kemendagri/BPS)"),
        validators=[DataRequired(_l("Isi kode wilayah.")), Length(max=20)],
        description=_l("Misalnya 32.04.11.2002: provinsi, kabupaten, kecamatan, desa."),
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    name = _required_text(_l("Nama desa/kelurahan"), 100, _l("Isi nama desa."))
    kecamatan = _required_text(_l("Kecamatan"), 100, _l("Isi nama kecamatan."))
    kabupaten = _required_text(_l("Kabupaten/Kota"), 100, _l("Isi nama kabupaten/kota."))
    provinsi = _required_text(_l("Provinsi"), 100, _l("Isi nama provinsi."))
    timezone = SelectField(_l("Zona waktu"),
                           choices=[SelectChoice(zone, TIMEZONE_LABELS[zone])
                                    for zone in VILLAGE_TIMEZONES],
                           validate_choice=False, default="Asia/Jakarta")
    logo = FileField(_l("Logo (PNG/JPG)"), render_kw={"accept": "image/png,image/jpeg,image/webp"})

    def __init__(self, *args, new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if new:
            # "Pemerintah Desa <name>" when left empty.
            self.institution_name.validators = [Optional(), Length(max=200)]
            self.institution_name.flags.required = False
            if not self.is_submitted():
                self.head_title.data = "Kepala Desa"
        else:
            del self.code  # the code of a village stays (records and scopes use it)


class OfficerForm(AppForm):
    """A new officer: who they are and their first village (no password: they choose
    it through a first sign-in link)."""

    full_name = _required_text(_l("Nama lengkap"), 120, _l("Isi nama lengkap."))
    username = username_field()
    phone = PhoneField(_l("Nomor HP / WhatsApp"), validators=[Optional()],
                       description=_l("Tautan masuk pertama dikirim lewat WhatsApp ke nomor ini."))
    village_id = SelectField(_l("Desa"), coerce=int, validate_choice=False)


class ScopesForm(AppForm):
    """The villages an officer is assigned and the areas they oversee."""

    village_ids = MultiCheckboxField(_l("Desa yang ditugaskan"), coerce=int,
                                     validate_choice=False)
    areas = MultiCheckboxField(
        _l("Wilayah (semua desa di kecamatan atau kabupaten, termasuk yang dibuat nanti)"),
        validate_choice=False)

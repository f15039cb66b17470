"""Village letterhead form."""

from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from crm.web.fields import PhoneField, no_control_characters
from crm.web.forms import AppForm
from crm.web.i18n import lazy_gettext as _l


class LetterheadForm(AppForm):
    institution_name = StringField(
        _l("Nama lembaga (kop surat)"),
        validators=[DataRequired(_l("Isi nama lembaga.")), Length(max=200), no_control_characters],
    )
    address = TextAreaField(
        _l("Alamat"), validators=[Optional(), Length(max=500), no_control_characters]
    )
    phone = PhoneField(_l("Telepon"), validators=[Optional()])
    email = StringField(
        _l("Email"),
        validators=[Optional(), Email(_l("Alamat email tidak sah.")), Length(max=120)],
        render_kw={"inputmode": "email", "autocomplete": "email"},
    )
    head_name = StringField(
        _l("Nama Kepala Desa"), validators=[Optional(), Length(max=120), no_control_characters]
    )
    head_title = StringField(
        _l("Jabatan penanda tangan"),
        validators=[DataRequired(_l("Isi jabatan.")), Length(max=60), no_control_characters],
    )
    letter_code = StringField(
        _l("Kode desa di nomor surat"),
        validators=[DataRequired(_l("Isi kode surat.")), Length(max=8)],
        description=_l("Misalnya KTP, dipakai di 007/PKS/KTP/XI/2026"),
    )
    logo = FileField(_l("Logo (PNG/JPG)"), render_kw={"accept": "image/png,image/jpeg,image/webp"})

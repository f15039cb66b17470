"""Sign-in, password and account forms."""

from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from crm.auth.models import Role
from crm.web.fields import PhoneField, no_control_characters
from crm.web.forms import AppForm
from crm.web.i18n import lazy_gettext as _l


class LoginForm(AppForm):
    login = StringField(
        _l("Nama pengguna atau nomor HP"),
        validators=[DataRequired(_l("Isi nama pengguna atau nomor HP.")), Length(max=60)],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(
        _l("Kata sandi"),
        validators=[DataRequired(_l("Isi kata sandi.")), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


def username_field() -> StringField:
    """A login name typed by whoever opens the account."""
    return StringField(
        _l("Nama pengguna"),
        validators=[DataRequired(_l("Isi nama pengguna.")), Length(max=40)],
        description=_l("Huruf kecil tanpa spasi, misalnya ibu.sari"),
        render_kw={"autocapitalize": "none", "autocomplete": "off"},
    )


class NewPasswordForm(AppForm):
    """A password chosen by its owner, typed twice: on a first sign-in link, by the
    first administrator, and (after the current one) when changing it."""

    password = PasswordField(
        _l("Kata sandi baru"),
        validators=[DataRequired(_l("Isi kata sandi baru.")), Length(max=128)],
        description=_l("Minimal 8 karakter. Kalimat pendek yang mudah Anda ingat itu bagus."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Ulangi kata sandi baru"),
        validators=[
            DataRequired(_l("Ulangi kata sandi baru.")),
            EqualTo("password", _l("Kedua kata sandi baru tidak sama.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class PasswordChangeForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Kata sandi lama"),
        validators=[DataRequired(_l("Isi kata sandi lama.")), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )


ROLE_CHOICES = [
    SelectChoice(Role.PRODUCER.value, _l("Produsen (anggota kelompok usaha)")),
    SelectChoice(Role.RESELLER.value, _l("Reseller")),
    SelectChoice(Role.PARTNER.value, _l("Kontak lembaga mitra")),
]


class UserCreateForm(AppForm):
    """An officer creates an account for someone in one of their villages."""

    role = SelectField(_l("Peran"), choices=ROLE_CHOICES)
    full_name = StringField(
        _l("Nama lengkap"),
        validators=[DataRequired(_l("Isi nama lengkap.")), Length(max=120), no_control_characters],
    )
    username = username_field()
    phone = PhoneField(
        _l("Nomor HP / WhatsApp"),
        validators=[Optional()],
        description=_l("Bisa dipakai untuk masuk. Boleh dikosongkan."),
    )
    village_id = SelectField(_l("Desa"), coerce=int)
    group_id = SelectField(_l("Kelompok usaha (untuk produsen)"), coerce=int)
    partner_id = SelectField(_l("Lembaga mitra (untuk kontak mitra)"), coerce=int)
    password = PasswordField(
        _l("Kata sandi awal (boleh dikosongkan)"),
        validators=[Optional(), Length(max=128)],
        description=_l("Kosongkan agar pemilik akun membuat kata sandinya sendiri lewat "
                       "tautan yang Anda kirim melalui WhatsApp."),
        render_kw={"autocomplete": "new-password"},
    )


class PasswordResetForm(AppForm):
    password = PasswordField(
        _l("Kata sandi baru"),
        validators=[DataRequired(_l("Isi kata sandi baru.")), Length(max=128)],
        render_kw={"autocomplete": "new-password"},
    )


class ConfirmForm(AppForm):
    """A button-only form: carries the CSRF token for a POST action."""

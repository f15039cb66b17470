"""WTForms fields for Indonesian input: rupiah amounts and phone numbers."""

from wtforms import StringField
from wtforms.validators import ValidationError

from crm.text.money import RupiahError, parse_rupiah
from crm.text.phones import PhoneError, display_phone, normalise_phone
from crm.web.i18n import lazy_gettext as _l

RUPIAH_MESSAGES = {
    "empty": _l("Isi jumlah rupiah."),
    "negative": _l("Jumlah tidak boleh negatif."),
    "decimal": _l("Tulis jumlah rupiah tanpa sen, misalnya 10.000."),
    "format": _l("Tulis jumlah rupiah dengan angka, misalnya 10.000 atau Rp 1.500.000."),
    "too_large": _l("Jumlah terlalu besar."),
}


class RupiahField(StringField):
    """A whole-rupiah amount typed the Indonesian way ("10.000" is ten thousand)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {}).setdefault("inputmode", "numeric")
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        self.data = None
        if not self.raw.strip():
            return
        try:
            self.data = parse_rupiah(self.raw)
        except RupiahError as exc:
            raise ValueError(str(RUPIAH_MESSAGES[exc.reason])) from exc

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{self.data:,}".replace(",", ".")


class PhoneField(StringField):
    """A phone number, stored as ``62…`` digits; empty stays ``None``."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = kwargs.setdefault("render_kw", {})
        render_kw.setdefault("inputmode", "tel")
        render_kw.setdefault("autocomplete", "tel")
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not raw:
            return
        try:
            self.data = normalise_phone(raw)
        except PhoneError as exc:
            raise ValueError(
                str(_l("Nomor HP tidak dikenali. Contoh: 0812-3456-7890."))
            ) from exc

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return display_phone(self.data)


def no_control_characters(form, field):
    """Refuse NUL and other control characters in free text (CR, LF, tab allowed).

    The text as sent is checked (a field may turn it into a number or a phone)."""
    sent = field.raw_data if field.raw_data else [field.data]
    for value in sent:
        if isinstance(value, str) and any(
                (ord(c) < 32 and c not in "\r\n\t") or 0xD800 <= ord(c) <= 0xDFFF
                for c in value):
            raise ValidationError(_l("Teks berisi karakter yang tidak diizinkan."))

"""WTForms fields for Indonesian input: rupiah amounts, phone numbers, counts, years
and dates with plain Indonesian messages, check box lists, and the helpers that build
the optional text fields every form has."""

from wtforms import (
    DateField,
    IntegerField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

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


TOO_LONG = _l("Terlalu panjang: paling banyak %(max)d karakter.")
COUNT_MESSAGE = _l("Tulis jumlah dengan angka, misalnya 40.")


def length_limit(limit: int, message=TOO_LONG) -> Length:
    """At most ``limit`` characters, said in Indonesian."""
    return Length(max=limit, message=message)


def text_field(label, max_length: int, *, message=TOO_LONG, **kwargs) -> StringField:
    """An optional line of text: at most ``max_length`` characters (``message`` when
    longer; None for WTForms' own message), no control characters. ``kwargs`` go to
    the field (``render_kw``, ``description`` …)."""
    return StringField(label, validators=[Optional(), Length(max=max_length, message=message),
                                          no_control_characters], **kwargs)


def notes_field(label, max_length: int, **kwargs) -> TextAreaField:
    """Optional free text on several lines: at most ``max_length`` characters, no
    control characters."""
    return TextAreaField(label, validators=[Optional(), length_limit(max_length),
                                            no_control_characters], **kwargs)


class CountField(IntegerField):
    """A whole number (numeric keypad on a phone), with an Indonesian ``message`` when
    what was typed is not one."""

    def __init__(self, label=None, validators=None, message=COUNT_MESSAGE, **kwargs):
        kwargs.setdefault("render_kw", {}).setdefault("inputmode", "numeric")
        super().__init__(label, validators, **kwargs)
        self.not_a_number_message = message

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            self.data = None
            raise ValueError(str(self.not_a_number_message)) from exc


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


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of check boxes (easier on a phone than a list box)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

"""Indonesian phone numbers, stored as ``62…`` digits, and WhatsApp links."""

import re
from urllib.parse import quote

import phonenumbers

_ALLOWED = re.compile(r"^\+?[0-9 ()./-]+$")
INDONESIA = 62
_MOBILE_TYPES = (phonenumbers.PhoneNumberType.MOBILE,
                 phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


class PhoneError(ValueError):
    """The text is not a usable phone number."""


def normalise_phone(text: str) -> str:
    """Return the number as ``62…`` digits.

    Accepts "0812-3456-7890", "+62 812 3456 7890", "62812…", "812…". Numbers from
    other countries are accepted in international form ("+60…").
    """
    raw = (text or "").strip()
    if not raw or not _ALLOWED.match(raw) or not raw.isascii():
        raise PhoneError("not a phone number")
    international = raw.startswith("+")
    digits = re.sub(r"\D", "", raw)
    if international:
        pass
    elif digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    elif not digits.startswith("62"):
        raise PhoneError("not a phone number")
    if not 8 <= len(digits) <= 15:
        raise PhoneError("wrong length")
    # phonenumbers needs the "+": parse("62812…", "ID") would read it as a local number.
    try:
        parsed = phonenumbers.parse("+" + digits)
    except phonenumbers.NumberParseException as exc:
        raise PhoneError("not a phone number") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise PhoneError("not a valid number")
    return digits


def stored_phone(value: str) -> str:
    """The stored form of a number that a program gives: what :func:`normalise_phone`
    accepts, and also numbers already stored, foreign ones included (``60123…``,
    taken without their "+"). Raises :class:`PhoneError` for anything else."""
    try:
        return normalise_phone(value)
    except PhoneError:
        text = (value or "").strip()
        if text.isascii() and text.isdigit():
            return normalise_phone("+" + text)
        raise


def looks_like_phone(text: str) -> bool:
    """True when a sign-in name is a phone number rather than a user name."""
    stripped = re.sub(r"[ ()./+-]", "", (text or "").strip())
    return stripped.isascii() and stripped.isdigit() and len(stripped) >= 8


def display_phone(digits: str | None) -> str:
    """Show a stored number the way Indonesians write it, on pages and documents.

    Mobiles ``0812-3456-7890``; landlines with their area code, as letters print
    them: ``(022) 5940000``; other countries ``+60 12-345 6789``. Text that is not a
    phone number (never stored since the column normalises) is shown as it is.
    """
    if not digits:
        return ""
    try:
        digits = stored_phone(digits)
    except PhoneError:
        return digits
    number = phonenumbers.parse("+" + digits)
    if number.country_code != INDONESIA:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    if phonenumbers.number_type(number) in _MOBILE_TYPES:
        local = "0" + digits[2:]
        return "-".join([local[:4], local[4:8], local[8:]]).strip("-")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def whatsapp_link(phone_digits: str, text: str = "") -> str:
    """A ``wa.me`` link that opens a chat with ``text`` prefilled (url-encoded)."""
    link = f"https://wa.me/{phone_digits}"
    if text:
        link += "?text=" + quote(text, safe="")
    return link


def whatsapp_share_link(text: str) -> str:
    """A ``wa.me`` link that lets the user pick the chat to share ``text`` with."""
    return "https://wa.me/?text=" + quote(text, safe="")

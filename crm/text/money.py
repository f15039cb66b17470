"""Rupiah amounts: whole rupiah as integers, read and written the Indonesian way."""

import re

from babel import Locale
from babel.numbers import get_currency_symbol

MAX_RUPIAH = 1_000_000_000_000  # Rp 1 triliun: far above any village transaction

_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")
_PLAIN = re.compile(r"^\d+$")
# "Rp 10.000,-" and "10.000,00" are common ways to write a whole amount.
_WHOLE_SUFFIX = re.compile(r",(-|00?)$")


class RupiahError(ValueError):
    """The text is not a whole, non-negative rupiah amount; ``reason`` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def parse_rupiah(text: str) -> int:
    """Read "10.000", "Rp 10.000", "Rp10.000,-", "1500000" as whole rupiah.

    "10.000" is ten thousand. Decimals, negatives, non-ASCII digits, words such as
    "Infinity" and amounts above Rp 1 triliun raise :class:`RupiahError`.
    """
    value = (text or "").strip()
    if not value:
        raise RupiahError("empty")
    value = re.sub(r"^(rp\.?|idr)\s*", "", value, flags=re.IGNORECASE).strip()
    if value.startswith("-"):
        raise RupiahError("negative")
    value = _WHOLE_SUFFIX.sub("", value)
    if not value.isascii():
        raise RupiahError("format")
    if "," in value:
        raise RupiahError("decimal")
    if _GROUPED.match(value):
        digits = value.replace(".", "")
    elif _PLAIN.match(value):
        digits = value
    else:
        raise RupiahError("format")
    if len(digits) > 13:
        raise RupiahError("too_large")
    amount = int(digits)
    if amount > MAX_RUPIAH:
        raise RupiahError("too_large")
    return amount


# Pages print hundreds of amounts. The same text as
# babel.numbers.format_currency(amount, "IDR", format="¤ #,##0", locale="id_ID",
# currency_digits=False), with the locale's symbols looked up once and the digits
# grouped by Python: "#,##0" puts the group symbol every three digits, as Python's
# "," format does.
_ID = Locale.parse("id_ID")
_SYMBOL = get_currency_symbol("IDR", _ID)
_GROUP = _ID.number_symbols["latn"]["group"]


def group_digits(number: int, group: str = _GROUP) -> str:
    """``1500000`` → ``"1.500.000"``: a whole number with ``group`` every three
    digits (``"#,##0"``; Indonesian by default)."""
    return f"{number:,}".replace(",", group)


def format_rupiah(amount: int | None) -> str:
    """``1500000`` → ``"Rp 1.500.000"`` (no decimals)."""
    if amount is None:
        return ""
    digits = group_digits(abs(amount))
    return f"-{_SYMBOL} {digits}" if amount < 0 else f"{_SYMBOL} {digits}"


# Short forms for chart axes, where a whole "Rp 1.250.000" does not fit:
# ribu (thousand), juta (million), miliar (billion).
_SHORT_UNITS = ((1_000_000_000, "M"), (1_000_000, "jt"), (1_000, "rb"))


def format_rupiah_short(amount: int) -> str:
    """``1200000`` → ``"1,2 jt"``, ``250000`` → ``"250 rb"``, ``3000000000`` →
    ``"3 M"``: one decimal at most, Indonesian decimal comma, no "Rp" (the chart
    says its figures are in rupiah)."""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    for size, unit in _SHORT_UNITS:
        if amount >= size:
            tenths = (amount * 10 + size // 2) // size  # rounded to a tenth of the unit
            whole, tenth = divmod(tenths, 10)
            number = group_digits(whole) + (f",{tenth}" if tenth else "")
            return f"{sign}{number} {unit}"
    return f"{sign}{amount}"

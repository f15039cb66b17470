"""Percentages typed the Indonesian way ("2,5", "2.5 %"), stored as basis points (250)."""

import re
from decimal import Decimal

from flask_babel import format_decimal

from crm.web.i18n import lazy_gettext as _l

MAX_BP = 10_000  # 100 %
_NUMBER = re.compile(r"^([0-9]+)(?:[.,]([0-9]+))?$")

PERCENT_MESSAGES = {
    "format": _l("Tulis persentase dengan angka, misalnya 2,5 atau 5."),
    "range": _l("Persentase 0 sampai 100."),
    "decimals": _l("Paling banyak dua angka di belakang koma, misalnya 2,25."),
}


class PercentError(ValueError):
    """The text is not a percentage from 0 to 100; ``reason`` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self) -> str:
        return str(PERCENT_MESSAGES[self.reason])


def parse_percent(text: str) -> int:
    """Read "2,5", "2.5", "5", "2,5 %" as basis points (250, 250, 500, 250).

    Both "," and "." are read as the decimal mark (a rate is never in the
    thousands). Words such as "NaN", negatives, more than two decimals and values
    above 100 raise :class:`PercentError`.
    """
    value = (text or "").strip()
    if value.endswith("%"):
        value = value[:-1].strip()
    if value.startswith("-"):
        raise PercentError("range")
    match = _NUMBER.match(value) if value.isascii() else None
    if match is None:
        raise PercentError("format")
    whole, fraction = match.group(1), match.group(2) or ""
    if len(whole) > 3:
        raise PercentError("range")
    if len(fraction) > 2:
        # "1.000" is a thousand to Indonesian eyes, not 1 %: refuse rather than guess.
        raise PercentError("decimals")
    basis_points = int(whole) * 100 + int((fraction + "00")[:2])
    if basis_points > MAX_BP:
        raise PercentError("range")
    return basis_points


def percent_text(rate_bp: int) -> str:
    """``250`` → "2,5" in the page's language (no % sign): for form fields."""
    return format_decimal(Decimal(rate_bp) / 100, format="#,##0.##")


def format_percent(rate_bp: int) -> str:
    """``250`` → "2,5%"."""
    return f"{percent_text(rate_bp)}%"

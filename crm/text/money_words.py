"""Rupiah amounts in Indonesian words, as written on a receipt (kwitansi).

num2words(lang="id") writes a thousands group of exactly one as "satu ribu"
(1.001.000 → "satu juta satu ribu"), but Indonesian says "seribu". Only a group that
is "satu" on its own changes: "dua puluh satu ribu" (21.000) and "seratus satu ribu"
(101.000) stay as they are.
"""

import re

from num2words import num2words

# "satu ribu" at the start or right after a larger scale word is a lone 1 000.
_LONE_THOUSAND = re.compile(
    r"(?:^|(?<=juta )|(?<=miliar )|(?<=triliun )|(?<=biliun ))satu ribu\b"
)


def number_in_words(amount: int) -> str:
    """``1_001_000`` → ``"satu juta seribu"``."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError("amount must be a whole number of rupiah")
    if amount < 0:
        raise ValueError("amount must not be negative")
    words = num2words(amount, lang="id")
    words = re.sub(r"\s+", " ", words).strip()
    return _LONE_THOUSAND.sub("seribu", words)


def rupiah_in_words(amount: int) -> str:
    """``1_500_000`` → ``"satu juta lima ratus ribu rupiah"``; ``0`` → ``"nol rupiah"``."""
    return f"{number_in_words(amount)} rupiah"


def rupiah_in_words_capitalised(amount: int) -> str:
    """As on a receipt: ``"Satu juta lima ratus ribu rupiah"``."""
    words = rupiah_in_words(amount)
    return words[:1].upper() + words[1:]

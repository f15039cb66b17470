"""Addresses written the way Indonesian letters write them, for pages and documents.

One home for the words that go in front of the parts of an address (Dusun, RT, RW,
Desa, Kec., Kab.): a word is added only when the user did not type it already, in
any case ("Dusun 3" stays "Dusun 3", "3" becomes "Dusun 3"). Addresses are not
translated: an English page shows the address as it is written on a letter.
"""

import re

# The words a user may already have typed for each part (compared without case,
# with or without a full stop). The form asks for "Dusun / kampung".
DUSUN_WORDS = ("Dusun", "Dsn", "Kampung", "Kp", "Dukuh")
VILLAGE_WORDS = ("Desa", "Ds", "Kelurahan", "Kel")
KECAMATAN_WORDS = ("Kecamatan", "Kec")
KABUPATEN_WORDS = ("Kabupaten", "Kab", "Kota")


def _tidy(value) -> str:
    return " ".join(str(value or "").split())


def with_prefix(value, prefix: str, typed=()) -> str:
    """``value`` with ``prefix`` in front, unless it already starts with ``prefix``
    or one of the ``typed`` words (any case, with or without a full stop):
    ``with_prefix("3", "Dusun", DUSUN_WORDS)`` is ``Dusun 3``, and ``Dusun 3``,
    ``dusun 3`` and ``Kp. Cibeber`` stay as they are. Blank stays blank."""
    value = _tidy(value)
    if not value:
        return ""
    words = {prefix.rstrip(".").lower(), *(w.rstrip(".").lower() for w in typed)}
    first = re.match(r"[^\W\d_]+", value)
    if first and first.group(0).lower() in words:
        return value
    return f"{prefix} {value}"


def village_name(name: str, kelurahan: bool = False) -> str:
    """``Desa Katapang`` (``Kelurahan …`` for a kelurahan)."""
    return with_prefix(name, "Kelurahan" if kelurahan else "Desa", VILLAGE_WORDS)


def kecamatan_name(name: str, short: bool = False) -> str:
    """``Kecamatan Katapang``, or ``Kec. Katapang`` in an address line."""
    return with_prefix(name, "Kec." if short else "Kecamatan", KECAMATAN_WORDS)


def kabupaten_name(name: str, short: bool = False) -> str:
    """``Kabupaten Bandung`` (``Kab. Bandung`` in an address line); a ``Kota`` as typed."""
    return with_prefix(name, "Kab." if short else "Kabupaten", KABUPATEN_WORDS)


def _mentioned(part: str, street: str) -> bool:
    """True when the street text already says ``part`` (as a whole, any case)."""
    return bool(part) and re.search(
        rf"(?<!\w){re.escape(part)}(?!\w)", street, re.IGNORECASE) is not None


def address_line(street="", *, rt="", rw="", dusun="", village="", kecamatan="",
                 kabupaten="") -> str:
    """One line: ``Jl. Raya 5, RT 02/RW 09, Dusun 3, Desa Katapang, Kec. Katapang,
    Kab. Bandung``. Each part gets its word unless typed with it; a part the street
    text already names is not repeated; blank parts are left out."""
    street = _tidy(street)
    rt_rw = "/".join(p for p in (with_prefix(rt, "RT"), with_prefix(rw, "RW"))
                     if p and not _mentioned(p, street))
    parts = [street, rt_rw]
    for part in (with_prefix(dusun, "Dusun", DUSUN_WORDS), village_name(village),
                 kecamatan_name(kecamatan, short=True),
                 kabupaten_name(kabupaten, short=True)):
        if part and not _mentioned(part, street):
            parts.append(part)
    return ", ".join(p for p in parts if p)


def group_address(group, places: bool = True) -> str:
    """A producer group's address on one line, down to its village, Kecamatan and
    Kabupaten (``places=False``: street, RT/RW and dusun only, for documents that
    print the village beside it)."""
    village = group.village
    return address_line(
        group.address, rt=group.rt, rw=group.rw, dusun=group.dusun,
        village=village.display_name if places else "",
        kecamatan=village.kecamatan if places else "",
        kabupaten=village.kabupaten if places else "",
    )

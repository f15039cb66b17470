"""Which column of an export holds which field: the marketplaces' column maps, kept as
data in ``crm/inbox/maps/*.toml``, found again in a file's header row however the
headers are spelt, ordered or renamed, and the reseller's own map for any other file."""

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from importlib.resources import files

from crm.inbox.records import FIELDS, FILE_STATUSES, REQUIRED_FIELDS, ColumnMap, ExportError
from crm.web.i18n import gettext as _
from crm.web.i18n import lazy_gettext as _l

MAP_FILES = ("shopee.toml", "tokopedia.toml", "tiktok.toml")
CUSTOM = "custom"

# What each field is called on the page where the reseller picks the columns herself.
FIELD_LABELS = {
    "order_ref": _l("Nomor pesanan"),
    "product": _l("Nama produk"),
    "quantity": _l("Jumlah"),
    "price": _l("Harga satuan"),
    "sku": _l("SKU"),
    "buyer": _l("Nama pembeli"),
    "phone": _l("Nomor HP"),
    "address": _l("Alamat"),
    "courier": _l("Kurir"),
    "tracking_number": _l("Nomor resi"),
    "ordered_at": _l("Waktu pesanan"),
    "status": _l("Status"),
    "variant": _l("Varian"),
    "postcode": _l("Kode pos"),
    "city": _l("Kota"),
}

_NOT_LETTERS = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """A header or status word reduced to what matters for matching: lower case,
    letters and digits only, accents dropped ("No. Pesanan" → "nopesanan")."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return _NOT_LETTERS.sub("", plain.lower())


def _words(text: str) -> str:
    """``text`` folded but keeping single spaces between words, for finding a status
    phrase inside a longer status ("Dibatalkan Sistem" holds "dibatalkan")."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(_NOT_LETTERS.sub(" ", plain.lower()).split())


@dataclass(frozen=True)
class MapTemplate:
    """A marketplace's column map before it meets a file: header names per field (best
    first), the headers that hold line totals, date formats and status words."""

    marketplace: str
    channel: str
    title: str
    aliases: dict[str, tuple[str, ...]]
    subtotals: dict[str, tuple[str, ...]]
    date_formats: tuple[str, ...]
    statuses: dict[str, str]

    def fit(self, headers: list[str]) -> ColumnMap | None:
        """This map laid over ``headers``: each field gets the column of its first alias
        found (a column serves one field only); ``None`` unless every required field
        is found."""
        folded = [fold(header) for header in headers]
        columns: dict[str, int] = {}
        chosen: dict[str, str] = {}
        for name in FIELDS:
            for alias in self.aliases.get(name, ()):
                index = _free_column(folded, fold(alias), columns.values())
                if index is not None:
                    columns[name] = index
                    chosen[name] = fold(alias)
                    break
        if any(name not in columns for name in REQUIRED_FIELDS):
            return None
        subtotal = chosen["price"] in {fold(a) for a in self.subtotals.get("price", ())}
        return ColumnMap(marketplace=self.marketplace, channel=self.channel,
                         title=self.title, columns=columns,
                         date_formats=self.date_formats, statuses=dict(self.statuses),
                         price_is_subtotal=subtotal)


def _free_column(folded: list[str], wanted: str, taken) -> int | None:
    """The first column whose folded header is ``wanted`` and that no field took yet."""
    taken = set(taken)
    for index, header in enumerate(folded):
        if header == wanted and index not in taken:
            return index
    return None


def _template(data: dict) -> MapTemplate:
    """A :class:`MapTemplate` from one TOML map, checked against the records' fields."""
    unknown = set(data["columns"]) - set(FIELDS)
    if unknown or not set(REQUIRED_FIELDS) <= set(data["columns"]):
        raise ValueError(f"map {data['marketplace']}: fields {sorted(unknown)}")
    statuses = {}
    for status, phrases in data.get("statuses", {}).items():
        if status not in FILE_STATUSES:
            raise ValueError(f"map {data['marketplace']}: status {status}")
        statuses.update({_words(phrase): status for phrase in phrases})
    return MapTemplate(
        marketplace=data["marketplace"], channel=data["channel"], title=data["title"],
        aliases={name: tuple(names) for name, names in data["columns"].items()},
        subtotals={name: tuple(names) for name, names in data.get("subtotals", {}).items()},
        date_formats=tuple(data.get("date_formats", ())), statuses=statuses)


def known_maps() -> tuple[MapTemplate, ...]:
    """The marketplaces' column maps (Shopee, Tokopedia, TikTok Shop), read from the
    package's TOML files (three small files: read on each use, nothing kept)."""
    folder = files("crm.inbox").joinpath("maps")
    return tuple(_template(tomllib.loads(folder.joinpath(name).read_text("utf-8")))
                 for name in MAP_FILES)


def detect_map(headers: list[str]) -> ColumnMap | None:
    """The known map that fits ``headers`` best (most fields found), or ``None`` when
    no map finds all the required fields. Case, spaces, punctuation and the order of
    the columns do not matter; a renamed header is found through its aliases."""
    best = None
    for template in known_maps():
        fitted = template.fit(headers)
        if fitted and (best is None or len(fitted.columns) > len(best.columns)):
            best = fitted
    return best


def all_date_formats() -> tuple[str, ...]:
    """Every known map's date formats, each once (for a custom map)."""
    seen: dict[str, None] = {}
    for template in known_maps():
        seen.update(dict.fromkeys(template.date_formats))
    return tuple(seen)


def all_statuses() -> dict[str, str]:
    """Every known map's status words (for a custom map)."""
    statuses: dict[str, str] = {}
    for template in known_maps():
        statuses.update(template.statuses)
    return statuses


def map_from_choice(headers: list[str], choice: dict[str, str], channel: str | None = None,
                    *, price_is_subtotal: bool = False) -> ColumnMap:
    """The reseller's own map: ``choice`` names, for each field, the header she picked
    (an empty choice leaves an optional field out); the orders get ``channel``, else
    ``choice["channel"]``. Raises :class:`ExportError` when a
    required field has no column, a header is not in the file or one column is picked
    for two fields. Dates and status words of every known marketplace are accepted."""
    index_of: dict[str, int] = {}
    for index, header in enumerate(headers):
        index_of.setdefault(header, index)
    columns: dict[str, int] = {}
    for name in FIELDS:
        header = (choice.get(name) or "").strip()
        if not header:
            if name in REQUIRED_FIELDS:
                raise ExportError(_("Pilih kolom untuk %(field)s.",
                                    field=str(FIELD_LABELS[name])))
            continue
        if header not in index_of:
            raise ExportError(_("Kolom %(column)s tidak ada di file ini.", column=header))
        if index_of[header] in columns.values():
            raise ExportError(_("Kolom %(column)s dipilih untuk dua isian.", column=header))
        columns[name] = index_of[header]
    return ColumnMap(marketplace=CUSTOM, channel=channel or choice.get("channel", ""),
                     title=_("Kolom pilihan sendiri"),
                     columns=columns, date_formats=all_date_formats(),
                     statuses=all_statuses(), price_is_subtotal=price_is_subtotal)


def status_of(text: str, statuses: dict[str, str]) -> str:
    """The app's file status for a status cell: the whole phrase when the map knows it,
    else the longest known phrase found inside it ("Dibatalkan Sistem" → cancelled,
    "Perlu Dikirim" stays open before "Dikirim" counts), else ``"open"``."""
    words = _words(text)
    if not words:
        return "open"
    if words in statuses:
        return statuses[words]
    padded = f" {words} "
    found = [phrase for phrase in statuses if phrase and f" {phrase} " in padded]
    if not found:
        return "open"
    return statuses[max(found, key=len)]

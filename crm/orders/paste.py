"""A customer's WhatsApp order message read into the fields of the order form.

Most village orders arrive as a chat message ("Pesan 2 ladu ketan + 1 tas rajut,
kirim ke Bu Iis, Jl. Raya Katapang No. 5 RT 02/RW 09, no HP 0812-3456-7890"). The
reseller pastes it; :func:`read_order_message` returns what it could read, and the
reseller checks the filled form and saves it. Nothing here touches the database: the
text and the reseller's claimed products go in, a :class:`PastedOrder` comes out.

The rules, in the order they are applied:

1. Cleaning. Emoji, symbols, invisible characters and WhatsApp's ``*bold*``,
   ``_italic_`` and ``~strike~`` marks become spaces; the text is NFKC-normalised
   (full-width digits become digits). A copied chat line's "[6/12 09.15] Bu Iis:"
   prefix is dropped, its sender kept as a fallback customer name (or, when the
   sender is a number, as a phone number).
2. Phone. Indonesian mobile numbers (``08…``, ``+62 8…``, ``62 8…``, with spaces,
   dashes or dots) are taken out of the text with a label before them ("no HP",
   "HP", "WA", "telp"). The first number that :func:`normalise_phone` accepts is the
   customer's; any other is named in the note.
3. Name. After "kirim ke", "dikirim ke", "atas nama", "a.n.", "a/n", "nama:" or
   "penerima:", up to a comma, a semicolon or the start of an address. Without a
   label, the sender of a copied chat line.
4. Address. After "alamat:", from "Jl."/"Jln"/"Jalan", from a line starting with
   Kp./Kampung/Dusun/Gg./Perum/Desa/RT, or what follows the name's comma in
   "kirim ke <name>, <address>". Following lines that start with an address word
   (Jl., RT, RW, Desa, Kel., Kec., Kab., Kota, Kp., Dusun, Gg., Blok, No., kode pos
   or a five-digit post code) continue it; after a bare "Alamat:" the next line is
   the address whatever it starts with. Kecamatan ("Kec. X"), kabupaten ("Kab. X",
   ", Kota X") and the post code (five digits) are also copied to their own fields.
5. Items: everything else, split at "+", ",", ";", "&", newlines, bullets and the
   words "dan"/"sama". In each piece a quantity is looked for: digits ("2", "2x",
   "x2", "2 pcs", "2bks"), or a number word from "satu" to "sebelas", "selusin"
   (12); "lusin" after a number counts dozens; a unit word after the number (pcs,
   bks, bungkus, pak, buah, kotak …) belongs to it. No quantity means one; two
   different ones in a piece, zero or more than 999,999 are not read. Prices
   ("@15rb", "Rp 12.000", "15.000") are never quantities. Greeting and filler words
   ("mau", "pesan", "kak" …) are dropped; the rest names the product.
6. Products: only the reseller's claimed products. In order: the SKU (letters and
   digits compared, punctuation ignored); the whole name (case, punctuation and
   spaces ignored); every typed word found in one product's name (equal, the start
   of a name word, or a difflib ratio of at least 0.8 for words of four letters or
   more), when only one product has them all or only one is named in full; last,
   the whole text against the names with difflib at a cutoff of 0.85. Several
   products that fit equally are never chosen between.
7. What cannot be read stays empty. A piece with a quantity but no product, or one
   that fits several, is named in ``unread``; a piece with neither quantity nor
   product ("Assalamualaikum kak") is chatter and skipped.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher, get_close_matches

from crm.text.phones import PhoneError, normalise_phone

CHANNEL = "whatsapp"
MAX_QUANTITY = 999_999
WORD_RATIO = 0.8
NAME_CUTOFF = 0.85

NUMBER_WORDS = {
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6,
    "tujuh": 7, "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11,
    "selusin": 12,
}
UNITS = {"x", "pcs", "pc", "bks", "bungkus", "pak", "pack", "bh", "buah", "biji", "box",
         "kotak", "toples", "tpls", "dus", "porsi", "botol", "btl", "lusin", "unit"}
FILLER = {"pesan", "pesen", "order", "mau", "beli", "minta", "kak", "ka", "kakak", "min",
          "gan", "sis", "bu", "pak", "ya", "yg", "yang", "tolong", "saya", "aku",
          "dong", "deh", "aja", "saja", "juga", "lagi", "untuk", "buat", "ok", "oke",
          "nya", "total", "jumlah", "produk", "diteruskan", "forwarded", "halo", "hai",
          "assalamualaikum", "permisi", "selamat", "pagi", "siang", "sore", "malam",
          "terima", "kasih", "makasih", "tks", "thanks"}

_INVISIBLE = re.compile(r"[*_~]")
# "[6/12/26 09.15] Bu Iis: …": a bracket with a date or time, then the sender.
_CHAT_PREFIX = re.compile(r"^\s*\[[^\]\n]{0,20}\d[^\]\n]{0,20}\]\s*([^:,\n]{1,60}):\s*")
_PHONE = re.compile(
    r"(?:\b(?:no(?:mor)?\.?\s*)?(?:hp|wa|telp|telepon|tlp|whatsapp|kontak)\.?\s*:?\s*)?"
    r"((?:\+\s?62|\b62|\b0)[\s.-]?8\d{1,3}(?:[\s.-]?\d{2,5}){1,4})\b", re.IGNORECASE)
_NAME_LABEL = re.compile(
    r"\b(?:dikirim ke|kirim ke|atas nama|a\s?[./]\s?n\b\.?|nama(?: penerima| lengkap)?\s*:"
    r"|penerima\s*:)\s*", re.IGNORECASE)
_NAME_END = re.compile(r"[,;(]|\b(?:alamat|jl|jln|jalan|rt|rw)\b", re.IGNORECASE)
_ADDRESS_LABEL = re.compile(
    r"\balamat(?:nya)?(?: kirim| lengkap)?\s*:?\s*|\b(?=(?:jl|jln)\b|jalan\s+(?-i:[A-Z]))",
    re.IGNORECASE)
_ADDRESS_START = re.compile(
    r"^(?:kp|kampung|dusun|dsn|gg|gang|perum|perumahan|komplek|desa|rt)\b", re.IGNORECASE)
_ADDRESS_LINE = re.compile(
    r"^(?:jl|jln|jalan|rt|rw|desa|ds|kel|kelurahan|kec|kecamatan|kab|kabupaten|kota|kp|"
    r"kampung|dusun|dsn|gg|gang|blok|perum|perumahan|komplek|no|kode ?pos)\b|^\d{5}\b",
    re.IGNORECASE)
_KECAMATAN = re.compile(
    r"\bkec(?:amatan)?\.?\s+([a-z][a-z .'-]{1,58}?)\s*(?=,|$|\bkab|\bkota|\d)", re.IGNORECASE)
_KABUPATEN = re.compile(
    r"(\bkab(?:upaten)?\.?\s+[a-z][a-z .'-]{1,50}?|(?:^|,)\s*kota\s+[a-z][a-z .'-]{1,50}?)"
    r"\s*(?=,|$|\d)", re.IGNORECASE)
_POSTCODE = re.compile(r"\b(\d{5})\b")
_SEPARATORS = re.compile(r"[+,;&\n•·▪●◦]|\s-\s|^\s*-\s|\b(?:dan|sama)\b",
                         re.IGNORECASE | re.MULTILINE)
_QUANTITY = re.compile(r"^(?:x(\d{1,7})|(\d{1,7})(?:" + "|".join(sorted(UNITS)) + r")?)$")
# Prices in a message ("@15rb", "Rp 15.000", "15.000"): never quantities.
_PRICE = re.compile(
    r"(?:@|\brp\.?)\s*\d[\d.,]*(?:\s?(?:rb|ribu|k)\b)?|\b\d{1,3}(?:[.,]\d{3})+\b"
    r"|\b\d+\s?(?:rb|ribu)\b", re.IGNORECASE)
_SKU_TOKEN = re.compile(r"[0-9a-z]+(?:[-./][0-9a-z]+)*", re.IGNORECASE)


@dataclass
class PastedOrder:
    """What a message said: quantities per product id, the customer, and what was
    left unread (item words and extra phone numbers) for the reseller to check."""

    quantities: dict[int, int] = field(default_factory=dict)
    customer_name: str = ""
    customer_phone: str = ""
    address: str = ""
    kecamatan: str = ""
    kabupaten: str = ""
    postcode: str = ""
    unread: list[str] = field(default_factory=list)
    other_phones: list[str] = field(default_factory=list)
    channel: str = CHANNEL

    @property
    def missing(self) -> list[str]:
        """The form's parts the message did not fill: ``lines``, ``customer_name``,
        ``customer_phone``, ``address``."""
        found = {"lines": self.quantities, "customer_name": self.customer_name,
                 "customer_phone": self.customer_phone, "address": self.address}
        return [name for name, value in found.items() if not value]


def read_order_message(text: str, products) -> PastedOrder:
    """Read ``text`` (a pasted chat message) against ``products`` (those the reseller
    sells: objects with ``id``, ``name`` and ``sku``). See the module's rules."""
    result = PastedOrder()
    lines, sender = _clean(text)
    lines = _take_phones(lines, result)
    item_parts = _take_customer(lines, result)
    if not result.customer_name and sender:
        result.customer_name = sender
    _read_address_parts(result)
    catalogue = [_Known(p) for p in products]
    for part in item_parts:
        _read_item(part, catalogue, result)
    return result


# --- cleaning and the customer ------------------------------------------------------


def _clean(text: str) -> tuple[list[str], str]:
    """The message's lines without emoji and marks, and the first chat sender."""
    text = unicodedata.normalize("NFKC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    kept = []
    for char in text:
        kind = unicodedata.category(char)
        if char == "\n" or char in "•·▪●◦":
            kept.append(char)
        elif kind[0] in "CSM" and char not in "+/" or kind == "Zs":
            kept.append(" ")
        else:
            kept.append(char)
    text = _INVISIBLE.sub(" ", "".join(kept))
    lines, sender = [], ""
    for line in text.split("\n"):
        prefix = _CHAT_PREFIX.match(line)
        if prefix:
            if re.search(r"\d", prefix.group(1)):  # a sender not in the contacts: a number
                lines.append(prefix.group(1))
            elif not sender:
                sender = _tidy(prefix.group(1))
            line = line[prefix.end():]
        lines.append(re.sub(r"[ \t]+", " ", line).strip())
    return lines, sender


def _take_phones(lines: list[str], result: PastedOrder) -> list[str]:
    """Lines with phone numbers (and their labels) taken out; the first valid number
    becomes the customer's, the others are kept to be named."""
    kept = []
    for line in lines:
        def take(match):
            number = _valid_phone(match.group(1))
            if number is None:
                return match.group(0)
            if not result.customer_phone:
                result.customer_phone = number
            elif number != result.customer_phone and number not in result.other_phones:
                result.other_phones.append(number)
            return " , "
        kept.append(_PHONE.sub(take, line).strip(" ,"))
    return kept


def _valid_phone(candidate: str) -> str | None:
    """The normalised number, dropping short trailing groups a greedy match took in
    ("0812 3456 7890 2" is the number and a quantity)."""
    groups = re.split(r"(?<=\d)[\s.-]+(?=\d)", candidate.strip())
    while groups:
        if len(groups) == 1 or len(groups[-1]) >= 3:
            try:
                return normalise_phone(" ".join(groups))
            except PhoneError:
                pass
        groups = groups[:-1]
    return None


def _take_customer(lines: list[str], result: PastedOrder) -> list[str]:
    """Fill the name and address from ``lines``; return the text left for items."""
    items, address = [], []
    # "continue": lines starting with an address word go on; "next": the line after a
    # bare "Alamat:" is the address whatever it starts with.
    state = None
    for line in lines:
        if state == "next" and line or state == "continue" and _ADDRESS_LINE.match(line):
            address.append(line)
            state = "continue"
            continue
        state = None
        if label := _NAME_LABEL.search(line):
            items.append(line[:label.start()])
            rest = line[label.end():]
            end = _NAME_END.search(rest)
            name = _tidy(rest[:end.start()] if end else rest)
            if name and not result.customer_name:
                result.customer_name = name[:120]
            rest = rest[end.start():].lstrip(" ,;") if end else ""
            if rest.lower().startswith("alamat"):
                rest = _ADDRESS_LABEL.sub("", rest, count=1)
            if rest:
                address.append(rest)
            state = "continue"
        elif (start := _ADDRESS_LABEL.search(line)) and not address:
            items.append(line[:start.start()])
            rest = _tidy(line[start.end():])
            address.append(rest)
            state = "continue" if rest else "next"
        elif _ADDRESS_START.match(line) and not address:
            address.append(line)
            state = "continue"
        else:
            items.append(line)
    result.address = ", ".join(_tidy(a) for a in address if _tidy(a))[:500]
    return items


def _read_address_parts(result: PastedOrder) -> None:
    """Kecamatan, kabupaten/kota and post code, when the address names them."""
    address = result.address
    if match := _KECAMATAN.search(address):
        result.kecamatan = _tidy(match.group(1))[:60]
    if match := _KABUPATEN.search(address):
        result.kabupaten = _tidy(match.group(1).lstrip(", "))[:60]
    if match := _POSTCODE.search(address):
        result.postcode = match.group(1)


def _tidy(text: str) -> str:
    """Single spaces, no separators or stray dots at the ends."""
    return re.sub(r"\s+", " ", text).strip(" ,;:-")


# --- items and products -------------------------------------------------------------


def _words(text: str) -> list[str]:
    return re.sub(r"[^0-9a-z]+", " ", text.lower()).split()


class _Known:
    """A product as the matching compares it: name words and the SKU's letters."""

    def __init__(self, product):
        self.product = product
        self.words = _words(product.name)
        self.joined = " ".join(self.words)
        self.sku = "".join(_words(product.sku or ""))


def _read_item(part: str, catalogue: list[_Known], result: PastedOrder) -> None:
    """Add the quantities of the pieces of ``part``; name the pieces not understood."""
    for piece in _SEPARATORS.split(_PRICE.sub(" ", part)):
        by_sku, piece = _take_sku(piece, catalogue)
        quantity, words = _quantity(_words(piece))
        words = [w for w in words if w not in FILLER]
        if quantity is None:
            result.unread.append(_tidy(piece))
            continue
        count, written = quantity
        found = by_sku or _match(words, catalogue) or _match(
            [w for w in words if w not in UNITS], catalogue)
        if found is None:
            if written and words:  # a quantity was written: it was meant as an item
                result.unread.append(" ".join(words))
            continue
        if not 1 <= count <= MAX_QUANTITY:
            result.unread.append(_tidy(piece))
            continue
        product_id = found.product.id
        total = result.quantities.get(product_id, 0) + count
        result.quantities[product_id] = min(total, MAX_QUANTITY)


def _take_sku(piece: str, catalogue: list[_Known]) -> tuple[_Known | None, str]:
    """The product whose SKU is written in ``piece`` (with or without its dashes),
    and the piece without it, so the SKU's digits are not read as a quantity."""
    skus = {k.sku: k for k in catalogue if k.sku}
    for token in _SKU_TOKEN.finditer(piece):
        known = skus.get("".join(_words(token.group(0))))
        if known:
            return known, piece[:token.start()] + " " + piece[token.end():]
    return None, piece


def _quantity(words: list[str]) -> tuple[tuple[int, bool] | None, list[str]]:
    """``((count, written), other words)``: the quantity in ``words`` (one, not
    written, when there is none), or ``(None, words)`` when two different ones are."""
    counts, rest = [], []
    index = 0
    while index < len(words):
        word = words[index]
        following = words[index + 1] if index + 1 < len(words) else ""
        value = None
        if match := _QUANTITY.match(word):
            value = int(match.group(1) or match.group(2)) * (12 if word.endswith("lusin") else 1)
        elif word == "x" and following.isdigit():
            value, following = int(following), ""
            index += 1
        elif word in NUMBER_WORDS:
            value = NUMBER_WORDS[word]
        if value is None:
            rest.append(word)
        else:
            if following in UNITS:  # "2 pcs", "dua lusin": the unit belongs to the count
                value *= 12 if following == "lusin" else 1
                index += 1
            counts.append(value)
        index += 1
    if not counts:
        return (1, False), rest
    if any(value != counts[0] for value in counts):
        return None, words
    return (counts[0], True), rest


def _word_fits(typed: str, name_word: str) -> bool:
    """A typed word is a name's word when equal, its start (three letters or more) or,
    from four letters, close to it (a typo)."""
    if typed == name_word:
        return True
    if typed.isdigit() or name_word.isdigit():
        return False
    if len(typed) >= 3 and name_word.startswith(typed):
        return True
    return len(typed) >= 4 and SequenceMatcher(None, typed, name_word).ratio() >= WORD_RATIO


def _all_words_fit(typed: list[str], name_words: list[str]) -> bool:
    """Every typed word fits a different word of the name."""
    free = list(name_words)
    for word in typed:
        fit = next((n for n in free if _word_fits(word, n)), None)
        if fit is None:
            return False
        free.remove(fit)
    return True


def _match(words: list[str], catalogue: list[_Known]) -> _Known | None:
    """The one product ``words`` name, or None (no product, or several)."""
    if not words:
        return None
    joined = " ".join(words)
    exact = [k for k in catalogue if k.joined == joined]
    if len(exact) == 1:
        return exact[0]
    hits = [k for k in catalogue if _all_words_fit(words, k.words)]
    if len(hits) > 1:  # "tas rajut" names "Tas Rajut", not "Tas Rajut Besar"
        hits = [k for k in hits if len(k.words) == len(words)]
    if hits:
        return hits[0] if len(hits) == 1 else None
    close = get_close_matches(joined, [k.joined for k in catalogue], n=2, cutoff=NAME_CUTOFF)
    if len(close) == 2 and _ratio(joined, close[0]) == _ratio(joined, close[1]):
        return None
    return next((k for k in catalogue if close and k.joined == close[0]), None)


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()

"""Benchmark data at Kabupaten scale: a deterministic generator and bulk loader.

    .venv/bin/python -m bench.generate --size village|kabupaten [--scale F] [--seed N]
        [--today YYYY-MM-DD] --database-url URL [--recreate] [--manifest PATH]

The schema comes from the migrations; the rows are generated from one seed
(``random.Random``, never the clock) and loaded in bulk (see :mod:`bench.loader`).
The data keeps every constraint of the schema and the app's own bookkeeping: a
product's stock is the end of its ledger, open claims are counted on their product,
made-to-order capacity per day is what confirmed orders, catering bookings and
consignment drops took, consignment visits follow the shelf arithmetic, fund
contributions follow each group's rule, letters carry their village's numbers.
Distributions are skewed like real villages (a few large villages, groups and
resellers, most small) over three years before ``today`` plus booked events ahead.

``generate()`` returns a manifest: logins, ids of the busiest records, calendar feed
tokens and the row counts, for the benchmark and its tests.
"""

import argparse
import base64
import bisect
import hashlib
import json
import math
import random
import sys
import time
from datetime import date
from itertools import accumulate
from pathlib import Path

from bench.loader import EPOCH, Loader, LoadError, day_text, prepare_database, quiet

PASSWORD = "bench-sandi-2026"  # noqa: S105  (benchmark data only, written in the manifest)
DEFAULT_TODAY = date(2026, 11, 23)
SIZES = {
    "kabupaten": {"villages": 300, "groups": 1500, "resellers": 10_000, "products": 15_000,
                  "orders": 1_000_000, "events": 20_000, "visits": 50_000},
    "village": {"villages": 3, "groups": 15, "resellers": 100, "products": 150,
                "orders": 10_000, "events": 200, "visits": 500},
}
MINIMUMS = {"villages": 2, "groups": 4, "resellers": 10, "products": 12, "orders": 200,
            "events": 20, "visits": 20}

DAY = 86_400
HOUR = 3600
WIB = 7 * HOUR  # every generated village is in Asia/Jakarta
HISTORY_DAYS = 3 * 365
FUTURE_DAYS = 180
# Days from "today" with an event of the largest village's Pemerintah Desa, at every
# scale: its month calendar and the officer's agenda are never empty.
ANCHOR_DAYS = (-9, -2, 3, 12, 25, 45)
STOCK_DAYS = 120  # the stock ledger holds every movement of this many days back
AUDIT_DAYS = 14  # audit rows for the orders of this many days back
FEED_PAST_DAYS = 90  # what a calendar feed shows of the past (crm.calendar.views)
TOP_GROUP_ORDER_SHARE = 0.025
TOP_VILLAGE_EVENT_SHARE = 0.13

# --- words -------------------------------------------------------------------------------

KECAMATAN = (
    "Katapang", "Soreang", "Margahayu", "Margaasih", "Baleendah", "Banjaran", "Bojongsoang",
    "Cangkuang", "Cicalengka", "Cikancung", "Cilengkrang", "Cileunyi", "Cimaung", "Cimenyan",
    "Ciparay", "Ciwidey", "Dayeuhkolot", "Ibun", "Kertasari", "Kutawaringin", "Majalaya",
    "Nagreg", "Pacet", "Pameungpeuk", "Pangalengan", "Paseh", "Pasirjambu", "Rancabali",
    "Rancaekek", "Solokanjeruk", "Arjasari",
)
VILLAGE_HEADS = ("Suka", "Marga", "Sindang", "Panca", "Mekar", "Jati", "Pasir", "Bojong",
                 "Ci", "Ranca", "Sangkan", "Cangkring", "Neglasari ", "Giri", "Tanjung",
                 "Karya", "Wangi", "Sari", "Mulya", "Cikoneng ")
VILLAGE_TAILS = ("jaya", "mukti", "asih", "laksana", "mulya", "wangi", "hurip", "sari",
                 "rahayu", "manah", "resmi", "galih", "kerta", "makmur", "raharja", "tani",
                 "harja", "nagara", "mekar", "jadi")
FIRST_NAMES = (
    "Euis", "Neneng", "Asep", "Ujang", "Dedi", "Rina", "Siti", "Yati", "Cucu", "Kiki",
    "Gilang", "Dadan", "Enok", "Wulan", "Sari", "Rini", "Agus", "Budi", "Dewi", "Iis", "Nani",
    "Dede", "Yayan", "Cecep", "Entin", "Imas", "Ade", "Rudi", "Tati", "Eka", "Fajar",
    "Hendra", "Intan", "Jajang", "Lilis", "Maman", "Nining", "Oman", "Popon", "Rahmat",
    "Sopian", "Tuti", "Ucup", "Wawan", "Yusuf", "Zaenal", "Anisa", "Bayu", "Citra", "Dimas",
    "Elis", "Fitri", "Hani", "Indra", "Joko", "Kurnia", "Lina", "Mega", "Nur", "Putri",
    "Rizky", "Salsa", "Teguh", "Vina", "Yoga", "Aulia", "Reza", "Tika", "Galih", "Neng",
)
LAST_NAMES = (
    "Saepudin", "Suryana", "Rohaeni", "Kurniawan", "Setiawan", "Hidayat", "Nugraha",
    "Permana", "Rahayu", "Sumarni", "Wijaya", "Gunawan", "Firmansyah", "Maulana", "Purnama",
    "Ramdani", "Sopandi", "Supriatna", "Mulyana", "Hermawan", "Fauzi", "Kusnadi", "Komara",
    "Sutisna", "Hamdani", "Aulia", "Lestari", "Anggraeni", "Puspita", "Pratama", "Marlina",
    "Kartika", "Sulastri", "Rusmana", "Hasanah",
)
STREETS = ("Jl. Raya {v}", "Jl. Terusan Kopo", "Jl. Soreang Raya", "Jl. Sukamenak",
           "Perum Griya {v} Blok C", "Kp. {v} RT 02 RW 05", "Jl. Mekar Sari", "Gg. Melati",
           "Komplek Taman {v}", "Jl. Babakan {v}", "Jl. Cibaduyut Raya", "Jl. Buah Batu")
FOOD = (
    # base, category, cost, reseller, retail (per pack), shelf life days
    ("Ladu Ketan", "kue", 9_000, 12_000, 15_000, 14),
    ("Keripik Singkong", "makanan", 7_000, 10_000, 13_000, 60),
    ("Opak", "makanan", 8_000, 11_000, 14_000, 60),
    ("Rengginang", "makanan", 10_000, 14_000, 18_000, 60),
    ("Dodol", "kue", 12_000, 16_000, 20_000, 30),
    ("Kue Bawang", "kue", 9_000, 12_500, 16_000, 45),
    ("Kerupuk Kulit", "makanan", 15_000, 20_000, 25_000, 60),
    ("Sale Pisang", "makanan", 11_000, 15_000, 19_000, 45),
    ("Peuyeum", "makanan", 8_000, 10_500, 13_000, 4),
    ("Kopi Bubuk", "minuman", 20_000, 27_000, 35_000, 180),
    ("Bandrek", "minuman", 12_000, 16_000, 20_000, 180),
    ("Sambal Roa", "makanan", 18_000, 24_000, 30_000, 90),
    ("Abon Ikan", "makanan", 25_000, 32_000, 40_000, 90),
    ("Wajit", "kue", 9_000, 12_000, 15_000, 30),
    ("Gemblong", "kue", 6_000, 8_000, 10_000, 3),
    ("Basreng", "makanan", 8_000, 11_000, 14_000, 60),
    ("Makaroni Pedas", "makanan", 6_000, 8_500, 11_000, 60),
    ("Keripik Tempe", "makanan", 9_000, 12_000, 15_000, 60),
    ("Emping Melinjo", "makanan", 20_000, 26_000, 32_000, 90),
    ("Kue Kering Nastar", "kue", 35_000, 45_000, 55_000, 60),
)
FOOD_VARIANTS = ("Original", "Pedas", "Gula Aren", "Pandan", "Coklat", "Keju", "Balado",
                 "Manis", "Daun Jeruk", "Jahe", "Susu", "Mini", "Jumbo", "Premium")
PACKS = ("100 g", "250 g", "500 g", "1 kg", "Toples")
CRAFT = (
    ("Tas Rajut", "kerajinan", 45_000, 60_000, 80_000),
    ("Dompet Rajut", "kerajinan", 15_000, 22_000, 30_000),
    ("Anyaman Bambu", "kerajinan", 25_000, 35_000, 45_000),
    ("Batik Tulis", "fashion", 150_000, 200_000, 260_000),
    ("Kain Tenun", "fashion", 120_000, 165_000, 210_000),
    ("Sandal Anyaman", "fashion", 30_000, 42_000, 55_000),
    ("Kerajinan Kayu", "kerajinan", 40_000, 55_000, 70_000),
    ("Peci Rajut", "fashion", 20_000, 28_000, 35_000),
    ("Tas Pandan", "kerajinan", 35_000, 48_000, 60_000),
    ("Boneka Flanel", "kerajinan", 15_000, 21_000, 27_000),
)
CRAFT_VARIANTS = ("Mini", "Sedang", "Besar", "Selempang", "Motif Bunga", "Motif Garis",
                  "Warna Alam", "Hitam", "Merah Marun", "Biru Dongker", "Kombinasi")
OTHER = (
    ("Sabun Sereh", "lainnya", 8_000, 11_000, 14_000),
    ("Lilin Aromaterapi", "lainnya", 15_000, 21_000, 27_000),
    ("Tanaman Hias", "lainnya", 10_000, 15_000, 20_000),
    ("Pupuk Kompos", "lainnya", 5_000, 7_000, 9_000),
    ("Minyak Kelapa", "lainnya", 18_000, 23_000, 28_000),
)
COURIERS = (("JNE", "REG"), ("J&T", "EZ"), ("SiCepat", "REG"), ("AnterAja", "Reguler"),
            ("JNE", "YES"), ("Antar sendiri", ""))
CANCEL_REASONS = ("Pembeli membatalkan", "Stok habis", "Alamat tidak ditemukan",
                  "Pembeli tidak bisa dihubungi", "Salah pesan varian")
RETURN_REASONS = ("defect", "expired", "damaged", "wrong_item", "refused_cod")
CHANNEL_WEIGHTS = (("shopee", 30), ("whatsapp", 30), ("tokopedia", 12), ("instagram", 10),
                   ("facebook", 8), ("website", 4), ("direct", 6))
CLAIM_CHANNELS = ("shopee", "tokopedia", "facebook", "instagram", "whatsapp", "website")
STAGES = ("socialisation", "tools", "operation", "segmentation", "independent")
EVENT_TITLES = {
    "pemdes": ("Rapat Bulanan Desa {v}", "Musyawarah Desa {v}", "Rapat Koordinasi RT/RW",
               "Posyandu Terpadu Desa {v}", "Pengajian Bulanan Desa {v}",
               "Pelatihan Kader PKK", "Sosialisasi Dana Desa", "Rapat Karang Taruna"),
    "kecamatan": ("Musrenbang Kecamatan {k}", "Rapat Minggon Kecamatan {k}",
                  "Rakor PKK Kecamatan {k}", "Bimtek Aparatur Desa se-Kecamatan {k}"),
    "kabupaten": ("Pelatihan UMKM Kabupaten Bandung", "Monev Dana Desa",
                  "Sosialisasi Perizinan Usaha"),
    "provinsi": ("Kunjungan Kerja Provinsi Jawa Barat",),
    "swasta": ("Rapat Tahunan Karyawan", "Family Gathering", "Pelatihan Karyawan Baru"),
    "bumdes": ("Rapat Pengurus BUMDes", "Rapat Anggota Tahunan BUMDes"),
    "other": ("Arisan PKK", "Penyuluhan Kesehatan", "Lomba Agustusan"),
}
DINAS = ("Dinas Koperasi dan UMKM Kabupaten Bandung", "Dinas Pemberdayaan Masyarakat dan Desa",
         "Dinas Perindustrian dan Perdagangan", "Dinas Kesehatan Kabupaten Bandung")
FIRMS = ("PT Kahatex", "PT Sinar Sosro Bandung", "CV Mitra Tekstil", "PT Bank BJB Cabang Soreang",
         "Koperasi Karyawan Sejahtera", "PT Agronesia", "RS Al Ihsan")
CUSTOM_SNACKS = (("Snack box isi 3", 12_000, 20_000), ("Nasi kotak ayam bakar", 25_000, 40_000),
                 ("Tumpeng mini", 30_000, 45_000), ("Air mineral gelas", 1_000, 2_000),
                 ("Kue basah campur", 2_000, 4_000), ("Nasi liwet komplit", 25_000, 35_000))
SOUVENIRS = (("Tas rajut cendera mata narasumber", 60_000, 150_000),
             ("Anyaman bambu cendera mata", 35_000, 80_000))
FUNDERS = {
    "dana_desa": "Kepala Desa {v}", "kecamatan": "Camat {k}",
    "dinas_koperasi": "Kepala Dinas Koperasi dan UMKM Kabupaten Bandung",
    "provinsi": "Kepala Dinas KUKM Provinsi Jawa Barat", "csr": "Manajer CSR PT Kahatex",
    "bumdes": "Direktur BUMDes {v}", "kur": "Pimpinan Bank BJB Cabang Soreang",
}
CHECKLIST_KEYS = ("nib_or_sku", "pirt", "halal", "ktp_officers", "village_decree",
                  "officer_structure", "photos", "npwp")
PURPOSES = ("poor_families", "orphans", "public_facility", "emergency_member", "other")
TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"  # noqa: S105
# Hours of the day (WIB) customers order in, and how often.
ORDER_HOURS = tuple(range(6, 23))
ORDER_HOUR_WEIGHTS = (1, 2, 3, 4, 5, 5, 5, 4, 4, 4, 5, 6, 8, 9, 9, 7, 4)


# --- helpers -----------------------------------------------------------------------------


def size_counts(size: str, scale: float) -> dict[str, int]:
    """The main counts of ``size`` multiplied by ``scale`` (never below a small floor)."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}")
    if not scale > 0:
        raise ValueError("scale must be above zero")
    counts = {k: max(MINIMUMS[k], round(v * scale)) for k, v in SIZES[size].items()}
    counts["groups"] = max(counts["groups"], counts["villages"])
    counts["products"] = max(counts["products"], counts["groups"])
    return counts


def allocate(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split ``total`` into whole numbers in proportion to ``weights`` (largest
    remainders), each at least ``minimum``."""
    rest = total - minimum * len(weights)
    if rest < 0:
        raise ValueError("total below the minimum")
    whole = sum(weights)
    raw = [rest * w / whole for w in weights]
    counts = [int(x) for x in raw]
    left = rest - sum(counts)
    for n in sorted(range(len(raw)), key=lambda n: counts[n] - raw[n])[:left]:
        counts[n] += 1
    return [minimum + c for c in counts]


def zipf(n: int, s: float) -> list[float]:
    """Weights ``1 / rank^s`` for ranks 1…n."""
    return [1 / (rank ** s) for rank in range(1, n + 1)]


def at_local(day: int, hour: float) -> int:
    """Seconds (UTC) of ``hour`` o'clock WIB on ``day``."""
    return day * DAY + int(hour * HOUR) - WIB


def local_day(moment: int) -> int:
    """The WIB day of a moment."""
    return (moment + WIB) // DAY


def token(rng: random.Random, nbytes: int) -> str:
    """URL-safe random text from ``rng`` (like ``secrets.token_urlsafe``)."""
    raw = rng.getrandbits(8 * nbytes).to_bytes(nbytes, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def hex_token(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def day_of(day: int) -> date:
    return date.fromordinal(EPOCH.toordinal() + day)


def month_key(day: int) -> int:
    """``YYYYMM`` of a day."""
    d = day_of(day)
    return d.year * 100 + d.month


def round_to(value: float, step: int) -> int:
    return max(step, int(value // step) * step)


class Pick:
    """Weighted choice by cumulative weights and bisection (fast, deterministic)."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, items, weights):
        self.items = list(items)
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1] if self.cum else 0

    def __call__(self, rng_random):
        return self.items[bisect.bisect_right(self.cum, rng_random() * self.total)
                          if self.total else 0]


# --- the generator --------------------------------------------------------------------------


class Builder:
    """Generates every table into a :class:`~bench.loader.Loader`."""

    def __init__(self, loader: Loader, counts: dict, seed: int, today: date,
                 password_hash: str, verbose: bool = False):
        self.loader = loader
        self.counts = counts
        self.seed = seed
        self.today = (today - EPOCH).days
        self.now = at_local(self.today, 10)  # 10:00 WIB of ``today``
        self.start = self.today - HISTORY_DAYS
        self.stock_from = self.now - STOCK_DAYS * DAY
        self.password_hash = password_hash
        self.verbose = verbose
        self.ids: dict[str, int] = {}
        self.docs: list[tuple] = []  # numbers to issue: (village, kind, at, subject, id, group, by)
        self.capacity: dict[int, int] = {}  # product * 100000 + day → units promised
        self.stock_events: list[tuple] = []  # (at, order, product, kind, qty, note, actor, token)
        self.fund_totals: dict[int, int] = {}
        self.timer = time.perf_counter()

    # -- small tools ----------------------------------------------------------------------

    def next_id(self, table: str) -> int:
        """The next id of ``table`` (ids are given here, then the sequences are set)."""
        value = self.ids.get(table, 0) + 1
        self.ids[table] = value
        return value

    def w(self, table: str, columns: list[str], stream: bool = False):
        return self.loader.writer(table, columns, stream)

    def say(self, text: str) -> None:
        if self.verbose:
            print(f"  {time.perf_counter() - self.timer:6.1f}s  {text}", flush=True)

    def person(self, rng) -> str:
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"

    def reserve(self, product: int, day: int, quantity: int, partial: bool = True) -> int:
        """Promise up to ``quantity`` units of a made-to-order product on ``day`` (all
        or nothing unless ``partial``); returns how many were promised."""
        key = product * 100_000 + day
        used = self.capacity.get(key, 0)
        take = min(quantity, self.p_cap[product] - used)
        if take <= 0 or (take < quantity and not partial):
            return 0
        self.capacity[key] = used + take
        return take

    def contribute(self, group: int, source: str, source_id: int, revenue: int, day: int,
                   at: int, actor: int | None) -> None:
        """A fund contribution when the group sets aside a percentage from ``day``."""
        rule = self.rules.get(group)
        if rule is None or rule[0] != "percent" or day < rule[2]:
            return
        amount = revenue * rule[1] // 10_000
        if amount <= 0:
            return
        self.fund_totals[group] = self.fund_totals.get(group, 0) + amount
        self.fund_w.add((self.next_id("fund_entries"), group, self.g_village[group],
                         "contribution", amount, day, source, source_id, revenue, rule[1],
                         None, "", "", None, "", None, None, None, actor, at))

    def issue(self, village: int, kind: str, at: int, subject: str, subject_id: int,
              group: int | None, by: int | None) -> None:
        """Note a letter number given at ``at``; numbered in :meth:`documents`."""
        self.docs.append((village, kind, at, subject, subject_id, group, by))

    # -- the whole run ----------------------------------------------------------------------

    def run(self) -> None:
        self.villages()
        self.say(f"{len(self.v_ids)} villages")
        self.groups_and_products()
        self.say(f"{len(self.g_ids)} groups, {len(self.p_ids)} products")
        self.partners()
        self.users()
        self.say(f"{self.ids['users']} users")
        self.resellers()
        self.claims()
        self.say(f"{self.ids.get('claims', 0)} claims")
        self.fund_rules()
        self.orders()
        self.say(f"{self.ids['orders']} orders, {self.ids['order_lines']} lines, "
                 f"{self.ids['order_events']} order events")
        self.payments()
        self.say(f"{self.ids.get('reseller_payments', 0)} reseller payments")
        self.events()
        self.say(f"{self.ids['events']} events, {self.ids['catering_bookings']} bookings; "
                 f"largest group's feed: {self.top_feed_items} deliveries")
        self.partnerships()
        self.consignment()
        self.say(f"{self.ids['consignment_visits']} consignment visits, "
                 f"{self.ids['consignment_drops']} drops")
        self.stock_ledger()
        self.say(f"{self.ids.get('stock_movements', 0)} stock movements")
        self.products_rows()
        self.capacity_rows()
        self.fund_fixed_and_disbursements()
        self.proposals()
        self.documents()
        self.choose_manifest_records()
        self.ceilings_tokens_photos()
        self.say("generated")

    # -- villages ---------------------------------------------------------------------------

    def villages(self) -> None:
        """Villages with Kemendagri codes, letterheads and unique letter codes; the first
        (Katapang) is the largest."""
        rng = random.Random(f"{self.seed}-villages")
        n = self.counts["villages"]
        names, seen = ["Katapang"], {"Katapang"}
        combos = [h.strip() + t if not h.endswith(" ") else h.strip()
                  for h in VILLAGE_HEADS for t in VILLAGE_TAILS]
        rng.shuffle(combos)
        extra = 2
        while len(names) < n:
            for name in combos:
                candidate = name[0].upper() + name[1:] if extra == 2 else f"{name} {extra}"
                if candidate not in seen:
                    seen.add(candidate)
                    names.append(candidate)
                    if len(names) == n:
                        break
            extra += 1
        self.v_ids = list(range(1, n + 1))
        self.v_name, self.v_kec, self.v_code, self.v_letter = {}, {}, {}, {}
        self.v_weight = dict(zip(self.v_ids, zipf(n, 0.5), strict=True))
        kec_count = 1 if n <= 4 else min(len(KECAMATAN), max(2, n // 10))
        used_letters: set[str] = set()
        per_kec: dict[str, int] = {}
        w = self.w("villages", [
            "id", "code", "name", "kecamatan", "kabupaten", "provinsi", "letter_code",
            "timezone", "institution_name", "address", "phone", "email", "head_name",
            "head_title", "created_at", "updated_at"])
        for vid, name in zip(self.v_ids, names, strict=True):
            kec_index = (vid - 1) % kec_count
            kec = KECAMATAN[kec_index]
            per_kec[kec] = per_kec.get(kec, 0) + 1
            kelurahan = rng.random() < 0.08 and vid != 1
            code = f"32.04.{kec_index + 1:02d}.{1 if kelurahan else 2}{per_kec[kec]:03d}"
            letter = self._letter_code(rng, name, used_letters)
            used_letters.add(letter)
            self.v_name[vid], self.v_kec[vid], self.v_code[vid] = name, kec, code
            self.v_letter[vid] = letter
            created = at_local(self.start - 400, 9)
            w.add((vid, code, name, kec, "Kabupaten Bandung", "Jawa Barat", letter,
                   "Asia/Jakarta",
                   f"Pemerintah {'Kelurahan' if kelurahan else 'Desa'} {name}",
                   f"Kantor {'Kelurahan' if kelurahan else 'Desa'} {name}, Kecamatan {kec}, "
                   "Kabupaten Bandung, Jawa Barat",
                   f"6222{5_900_000 + vid:07d}", f"desa.{vid}@example.id", self.person(rng),
                   "Lurah" if kelurahan else "Kepala Desa", created, created))
        self.kecamatans = sorted({self.v_kec[v] for v in self.v_ids},
                                 key=lambda k: KECAMATAN.index(k))

    @staticmethod
    def _letter_code(rng, name: str, used: set[str]) -> str:
        """A letter code (2–8 capitals) from the village's name, unique in the run."""
        letters = "".join(ch for ch in name.upper() if "A" <= ch <= "Z")
        for i in range(1, len(letters)):
            for j in range(i + 1, len(letters)):
                code = letters[0] + letters[i] + letters[j]
                if code not in used:
                    return code
        while True:
            code = letters[:2] + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                                         for _ in range(3))
            if code not in used:
                return code

    # -- groups and products ---------------------------------------------------------------

    def groups_and_products(self) -> None:
        """Producer groups (skewed per village) and their products: food mostly made to
        order with a daily capacity, crafts from stock, some with a cap on claims."""
        rng = random.Random(f"{self.seed}-groups")
        counts = self.counts
        per_village = allocate(counts["groups"], [self.v_weight[v] for v in self.v_ids], 1)
        self.g_ids, self.g_village, self.g_kind, self.g_name = [], {}, {}, {}
        self.g_weight, self.g_products, self.g_base = {}, {}, {}
        self.v_groups: dict[int, list[int]] = {v: [] for v in self.v_ids}
        gw = self.w("producer_groups", [
            "id", "village_id", "name", "kind", "description", "dusun", "rw", "rt", "address",
            "chair_name", "phone", "since_year", "bank_name", "bank_account_number",
            "bank_account_name", "nib", "npwp", "pirt_number", "halal_number",
            "halal_expires_on", "baseline_monthly_turnover", "created_at"])
        gid = 0
        for vid, n in zip(self.v_ids, per_village, strict=True):
            names: set[str] = set()
            inner = zipf(n, 1.1)
            for rank in range(n):
                gid += 1
                if gid == 1:
                    kind = "food"
                else:
                    roll = rng.random()
                    kind = "food" if roll < 0.6 else "craft" if roll < 0.9 else "other"
                catalogue = FOOD if kind == "food" else CRAFT if kind == "craft" else OTHER
                base = catalogue[0] if gid == 1 else rng.choice(catalogue)
                rw = rng.randint(1, 15)
                name = f"{base[0]} RW {rw:02d}"
                extra = 2
                while name in names:
                    name = f"{base[0]} RW {rw:02d} {extra}"
                    extra += 1
                names.add(name)
                self.g_ids.append(gid)
                self.v_groups[vid].append(gid)
                self.g_village[gid], self.g_kind[gid], self.g_name[gid] = vid, kind, name
                self.g_base[gid] = base
                self.g_weight[gid] = self.v_weight[vid] * inner[rank]
                chair = "Ibu " + self.person(rng)
                halal = kind == "food" and rng.random() < 0.4
                gw.add((
                    gid, vid, name, kind,
                    f"{base[0]} buatan kelompok RW {rw:02d} Desa {self.v_name[vid]}.",
                    f"Dusun {rng.randint(1, 4)}", f"{rw:02d}", f"{rng.randint(1, 8):02d}",
                    f"RT {rng.randint(1, 8):02d} RW {rw:02d}, Desa {self.v_name[vid]}",
                    chair, f"62812{70_000_000 + gid:08d}", rng.randint(1995, 2022),
                    rng.choice(("BJB", "BRI", "BNI", "Mandiri", "BSI")),
                    f"{rng.getrandbits(40):013d}"[:13], f"Kelompok {name}",
                    f"{9_120_000_000_000 + gid}" if rng.random() < 0.5 else "",
                    "", f"2063204{gid:06d}-29" if kind == "food" and rng.random() < 0.6
                    else "",
                    f"ID3211000{gid:08d}" if halal else "",
                    self.today + rng.randint(-60, 900) if halal else None,
                    round_to(rng.uniform(3e6, 25e6), 500_000),
                    at_local(self.start - rng.randint(30, 400), 9)))
        # The largest group takes a known share of the orders at every size.
        others = sum(self.g_weight.values()) - self.g_weight[1]
        share = self.g_weight[1] / (others + self.g_weight[1])
        if share < TOP_GROUP_ORDER_SHARE:
            self.g_weight[1] = TOP_GROUP_ORDER_SHARE / (1 - TOP_GROUP_ORDER_SHARE) * others
        self.top_group = 1
        self.top_village = 1

        # Products: more for the larger groups.
        per_group = allocate(counts["products"],
                             [math.sqrt(self.g_weight[g]) for g in self.g_ids], 1)
        n_products = counts["products"]
        size = n_products + 1
        self.p_ids = []
        self.p_group = [0] * size
        self.p_village = [0] * size
        self.p_mto = [False] * size
        self.p_cap = [0] * size
        self.p_rp = [0] * size
        self.p_ret = [0] * size
        self.p_active = [True] * size
        self.p_pop = [1.0] * size
        self.p_cap_claims = [None] * size
        self.p_approval = [False] * size
        self.p_shelf = [None] * size
        self.p_name = [""] * size
        self.p_row: dict[int, list] = {}
        pid = 0
        for gid, n in zip(self.g_ids, per_group, strict=True):
            kind = self.g_kind[gid]
            base = self.g_base[gid]
            catalogue = FOOD if kind == "food" else CRAFT if kind == "craft" else OTHER
            variants = FOOD_VARIANTS if kind == "food" else CRAFT_VARIANTS
            names: set[str] = set()
            self.g_products[gid] = []
            for k in range(n):
                pid += 1
                item = base if k < max(1, n // 2) else rng.choice(catalogue)
                name = f"{item[0]} {variants[k % len(variants)]}"
                if name in names:
                    name = f"{name} {rng.choice(PACKS)}"
                extra = 2
                while name in names:
                    name = f"{item[0]} {variants[k % len(variants)]} {extra}"
                    extra += 1
                names.add(name)
                factor = rng.choice((0.8, 0.9, 1.0, 1.0, 1.1, 1.25, 1.5))
                cost = round_to(item[2] * factor, 500)
                reseller = max(cost, round_to(item[3] * factor, 500))
                retail = max(reseller, round_to(item[4] * factor, 500))
                dropship = None
                if rng.random() < 0.3 and retail - reseller >= 1000:
                    dropship = reseller + round_to((retail - reseller) / 2, 500)
                food = kind == "food"
                mto = food and rng.random() < 0.75
                active = gid == 1 or k == 0 or rng.random() < 0.92
                shelf = item[5] if food else None
                cap_claims = None
                approval = False
                if not food and rng.random() < 0.35:
                    cap_claims = rng.choice((3, 5, 8, 10, 15))
                    approval = rng.random() < 0.6
                self.p_ids.append(pid)
                self.g_products[gid].append(pid)
                self.p_group[pid], self.p_village[pid] = gid, self.g_village[gid]
                self.p_mto[pid] = mto
                self.p_cap[pid] = rng.choice((40, 60, 80, 100, 150, 200)) if mto else 0
                self.p_rp[pid], self.p_ret[pid] = reseller, retail
                self.p_active[pid] = active
                self.p_pop[pid] = rng.lognormvariate(0, 0.8)
                self.p_cap_claims[pid] = cap_claims
                self.p_approval[pid] = approval
                self.p_shelf[pid] = shelf
                self.p_name[pid] = name
                created = at_local(self.start - rng.randint(1, 300), 10)
                self.p_row[pid] = [
                    pid, gid, self.g_village[gid], f"G{gid}-{k + 1:03d}", name,
                    f"{name}, dibuat oleh {self.g_name[gid]}.", item[1],
                    "pak" if food else "pcs", 250 if food else 300, cost, reseller, retail,
                    dropship, active, shelf, mto, self.p_cap[pid] or None, 0, cap_claims,
                    approval, 0, created, created]
        self.v_products: dict[int, list[int]] = {v: [] for v in self.v_ids}
        for p in self.p_ids:
            if self.p_active[p]:
                self.v_products[self.p_village[p]].append(p)

    # -- partners --------------------------------------------------------------------------

    def partners(self) -> None:
        """Institutions of each village: its Pemerintah Desa, the kecamatan, a BUMDes,
        dinas, firms and others."""
        rng = random.Random(f"{self.seed}-partners")
        w = self.w("partners", [
            "id", "village_id", "name", "kind", "unit", "address", "contact_name",
            "contact_position", "phone", "email", "npwp", "created_at"])
        self.pa_ids, self.pa_village, self.pa_kind, self.pa_name = [], {}, {}, {}
        self.v_partners: dict[int, list[int]] = {v: [] for v in self.v_ids}
        for vid in self.v_ids:
            name = self.v_name[vid]
            plan = [("pemdes", f"Pemerintah Desa {name}", "Sekretariat Desa"),
                    ("kecamatan", f"Kecamatan {self.v_kec[vid]}",
                     "Seksi Pemberdayaan Masyarakat")]
            if rng.random() < 0.6:
                plan.append(("bumdes", f"BUMDes {name} Mandiri", "Pengurus"))
            extra = 1 + int(3 * self.v_weight[vid] / self.v_weight[1] + rng.random() * 2)
            for kind, names, unit in (("kabupaten", DINAS, "Bidang UMKM"),
                                      ("swasta", FIRMS, "Bagian Umum"),
                                      ("other", (f"PKK Desa {name}",
                                                 f"Puskesmas {self.v_kec[vid]}",
                                                 f"Karang Taruna Desa {name}"), "")):
                for partner_name in rng.sample(names, min(len(names), extra // 2 + 1)):
                    if rng.random() < 0.6:
                        plan.append((kind, partner_name, unit))
            for kind, partner_name, unit in plan:
                paid = self.next_id("partners")
                self.pa_ids.append(paid)
                self.v_partners[vid].append(paid)
                self.pa_village[paid], self.pa_kind[paid] = vid, kind
                self.pa_name[paid] = partner_name
                w.add((paid, vid, partner_name, kind, unit, f"Jl. Raya {self.v_name[vid]}",
                       self.person(rng), "Sekretaris" if kind == "pemdes" else "Kepala Bagian",
                       f"62813{40_000_000 + paid:08d}", None, "",
                       at_local(self.start - rng.randint(10, 200), 9)))

    # -- users -----------------------------------------------------------------------------

    def users(self) -> None:
        """Officers (per village, per kecamatan, one for every village), producers of
        each group and partner contacts; all share one password hash."""
        rng = random.Random(f"{self.seed}-users")
        self.user_w = self.w("users", [
            "id", "username", "phone", "full_name", "role", "password_hash", "session_token",
            "locale", "active", "village_id", "group_id", "partner_id",
            "password_changed_at", "created_at"])
        ov = self.w("officer_villages", ["user_id", "village_id"])
        self.v_officers: dict[int, list[int]] = {v: [] for v in self.v_ids}
        self.officer_login: dict[int, str] = {}
        self.officer_of_village: dict[int, int] = {}
        created = at_local(self.start - 420, 8)

        def add_user(username, full_name, role, village, group, partner, when):
            uid = self.next_id("users")
            self.user_w.add((uid, username, f"62812{uid:08d}", full_name, role,
                             self.password_hash, token(rng, 24), "id", True, village, group,
                             partner, when, when))
            return uid

        # One Kasi Kesra per village, one officer per kecamatan for all its villages, one
        # officer of the kabupaten for every village.
        for vid in self.v_ids:
            uid = add_user(f"kesra{vid}", f"{self.person(rng)} (Kasi Kesra)", "officer",
                           None, None, None, created)
            ov.add((uid, vid))
            self.v_officers[vid].append(uid)
            self.officer_of_village[vid] = uid
            self.officer_login[uid] = f"kesra{vid}"
        for n, kec in enumerate(self.kecamatans, start=1):
            uid = add_user(f"kec{n}", f"{self.person(rng)} (Kecamatan {kec})", "officer",
                           None, None, None, created)
            for vid in self.v_ids:
                if self.v_kec[vid] == kec:
                    ov.add((uid, vid))
                    self.v_officers[vid].append(uid)
        self.officer_many = add_user("kabupaten", f"{self.person(rng)} (DPMD Kabupaten)",
                                     "officer", None, None, None, created)
        for vid in self.v_ids:
            ov.add((self.officer_many, vid))

        # Producers: one to four per group, the chair first.
        self.g_producers: dict[int, list[int]] = {}
        self.producer_login: dict[int, str] = {}
        for gid in self.g_ids:
            members = 1 + (rng.random() < 0.7) + (rng.random() < 0.3) + (gid == 1)
            self.g_producers[gid] = []
            for m in range(members):
                login = f"prod{gid}" + ("" if m == 0 else chr(ord("a") + m))
                uid = add_user(login, f"Ibu {self.person(rng)}", "producer",
                               self.g_village[gid], gid, None, created)
                self.g_producers[gid].append(uid)
                self.producer_login[uid] = login

        # Partner contacts.
        self.pa_contact: dict[int, int] = {}
        self.contact_login: dict[int, str] = {}
        for paid in self.pa_ids:
            if self.pa_kind[paid] in ("pemdes", "kecamatan", "kabupaten") \
                    or rng.random() < 0.6:
                login = f"mitra{paid}"
                uid = add_user(login, f"{self.person(rng)} ({self.pa_name[paid]})"[:120],
                               "partner", self.pa_village[paid], None, paid, created)
                self.pa_contact[paid] = uid
                self.contact_login[uid] = login

    # -- resellers ---------------------------------------------------------------------------

    def resellers(self) -> None:
        """Reseller accounts joining over the years, their profiles and codes, and the
        mentoring path each has walked so far."""
        rng = random.Random(f"{self.seed}-resellers")
        n = self.counts["resellers"]
        per_village = allocate(n, [self.v_weight[v] for v in self.v_ids], 1)
        pw = self.w("reseller_profiles", [
            "id", "user_id", "village_id", "code", "whatsapp", "public_page", "public_slug",
            "public_whatsapp", "karang_taruna", "shopee_url", "tokopedia_url",
            "instagram_url", "stage", "stage_since", "mentor_id", "last_mentored_on",
            "next_mentoring_on", "mentoring_notes", "created_at"])
        sw = self.w("reseller_stage_changes", [
            "id", "profile_id", "stage", "on_date", "mentor_id", "note", "actor_id",
            "created_at"])
        self.r_ids, self.r_village, self.r_joined, self.r_activity = [], {}, {}, {}
        self.r_profile, self.r_link, self.r_login, self.r_channels = {}, {}, {}, {}
        stems: dict[str, int] = {}
        span = self.now - 7 * DAY - at_local(self.start, 0)
        for vid, count in zip(self.v_ids, per_village, strict=True):
            for k in range(count):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                full_name = f"{first} {last}"
                if rng.random() < 0.3 or (vid == 1 and k == 0):
                    joined = at_local(self.start - rng.randint(1, 365), rng.uniform(8, 20))
                else:
                    joined = at_local(self.start, 8) + int(rng.random() ** 1.3 * span)
                uid = self.next_id("users")
                login = f"res{uid}"
                self.user_w.add((uid, login, f"62812{uid:08d}", full_name, "reseller",
                                 self.password_hash, token(rng, 24), "id", True, vid, None,
                                 None, joined, joined))
                stem = (first[0] + last[0]).upper()
                stems[stem] = stems.get(stem, 0) + 1
                code = stem if stems[stem] == 1 else f"{stem}{stems[stem]}"
                profile = self.next_id("reseller_profiles")
                self.r_ids.append(uid)
                self.r_village[uid], self.r_joined[uid] = vid, joined
                self.r_activity[uid] = rng.lognormvariate(0, 1.0)
                # Every generated reseller shows a public page (the catalogue is timed
                # through one), behind a random link like the app's own.
                slug = base64.b32encode(rng.getrandbits(80).to_bytes(10, "big")).decode().lower()
                self.r_profile[uid], self.r_link[uid], self.r_login[uid] = profile, slug, login
                channels = [c for c, _w in CHANNEL_WEIGHTS if rng.random() < 0.5] or ["whatsapp"]
                self.r_channels[uid] = Pick(channels, [dict(CHANNEL_WEIGHTS)[c]
                                                       for c in channels])
                # The mentoring path: one row per stage reached.
                tenure = (self.now - joined) / DAY
                reached = min(4, int(tenure / 120 * rng.uniform(0.5, 1.5)))
                mentor = rng.choice(self.v_officers[vid])
                day = local_day(joined) + rng.randint(0, 10)
                last_day = min(day, self.today - 1)
                for stage in STAGES[: reached + 1]:
                    last_day = min(day, self.today - 1)
                    sw.add((self.next_id("reseller_stage_changes"), profile, stage, last_day,
                            mentor, "Pendampingan rutin.", mentor,
                            at_local(last_day, 14)))
                    day += rng.randint(40, 160)
                stage = STAGES[reached]
                next_day = None
                if stage != "independent" and rng.random() < 0.5:
                    next_day = self.today + rng.randint(-20, 40)
                pw.add((profile, uid, vid, code, f"62812{uid:08d}", True, slug,
                        f"62812{uid:08d}", rng.random() < 0.4,
                        f"https://shopee.co.id/{login}" if "shopee" in channels else "",
                        f"https://tokopedia.com/{login}" if "tokopedia" in channels else "",
                        f"https://instagram.com/{login}" if "instagram" in channels else "",
                        stage, last_day, mentor, last_day, next_day, "", joined))

    # -- claims ------------------------------------------------------------------------------

    def claims(self) -> None:
        """Claims of resellers on products of their village, with caps and approvals;
        the active ones decide who can sell what from when."""
        rng = random.Random(f"{self.seed}-claims")
        w = self.w("claims", [
            "id", "product_id", "reseller_id", "village_id", "status", "channels",
            "decided_by_id", "decided_at", "closed_at", "close_reason", "created_at"])
        open_count = [0] * (len(self.p_row) + 1)
        # (reseller, group) pairs with active claims: the sellers of each group.
        pair_of: dict[tuple[int, int], int] = {}
        self.pair_reseller, self.pair_group, self.pair_time = [], [], []
        self.pair_products: list[list[int]] = []
        village_pick = {}
        for vid in self.v_ids:
            products = self.v_products[vid]
            if products:
                village_pick[vid] = Pick(products, [
                    self.g_weight[self.p_group[p]] * self.p_pop[p] for p in products])
        for uid in self.r_ids:
            vid = self.r_village[uid]
            if vid not in village_pick:
                continue
            products = self.v_products[vid]
            want = min(len(products), 1 + int(rng.expovariate(1 / 5)))
            chosen: list[int] = []
            tries = 0
            while len(chosen) < want and tries < want * 6:
                tries += 1
                p = village_pick[vid](rng.random)
                if p in chosen:
                    continue
                chosen.append(p)
                # Resellers often take several products of a group they sell.
                siblings = [q for q in self.g_products[self.p_group[p]]
                            if self.p_active[q] and q not in chosen]
                for sibling in rng.sample(siblings, min(len(siblings), 2)):
                    if rng.random() < 0.6:
                        chosen.append(sibling)
            joined = self.r_joined[uid]
            for p in chosen:
                created = joined + int(rng.uniform(0.1, 60) * DAY)
                if created > self.now - HOUR:
                    created = self.now - rng.randint(HOUR, 6 * HOUR)
                roll = rng.random()
                decided_by = decided_at = closed_at = None
                reason = ""
                if self.p_approval[p]:
                    recent = self.now - created < 5 * DAY
                    status = ("pending" if recent and roll < 0.6 else
                              "rejected" if roll < 0.08 else "active")
                    if status != "pending":
                        decided_by = self.g_producers[self.p_group[p]][0]
                        decided_at = min(self.now, created + rng.randint(HOUR, 2 * DAY))
                else:
                    status = "ended" if roll < 0.07 else "withdrawn" if roll < 0.12 else "active"
                cap = self.p_cap_claims[p]
                if status in ("pending", "active") and cap is not None \
                        and open_count[p] >= cap:
                    status = "ended"
                if status in ("ended", "withdrawn", "rejected"):
                    closed_at = decided_at or min(self.now, created + rng.randint(20, 400) * DAY)
                    reason = {"ended": "Produk tidak dijual lagi oleh reseller.",
                              "withdrawn": "", "rejected": "Kuota reseller sudah cukup."}[status]
                else:
                    open_count[p] += 1
                picked = [c for c in CLAIM_CHANNELS if rng.random() < 0.4] or ["whatsapp"]
                w.add((self.next_id("claims"), p, uid, vid, status, ",".join(picked),
                       decided_by, decided_at, closed_at, reason, created))
                if status == "active":
                    ready = decided_at or created
                    key = (uid, self.p_group[p])
                    pair = pair_of.get(key)
                    if pair is None:
                        pair = pair_of[key] = len(self.pair_reseller)
                        self.pair_reseller.append(uid)
                        self.pair_group.append(self.p_group[p])
                        self.pair_time.append(ready)
                        self.pair_products.append([])
                    self.pair_time[pair] = max(self.pair_time[pair], ready)
                    self.pair_products[pair].append(p)
        for p in self.p_ids:
            self.p_row[p][20] = open_count[p]  # claim_count

    # -- fund rules ---------------------------------------------------------------------------

    def fund_rules(self) -> None:
        """About half of the groups set money aside: a percentage or a fixed amount."""
        rng = random.Random(f"{self.seed}-fund")
        w = self.w("fund_rules", ["id", "group_id", "mode", "rate_bp", "fixed_amount",
                                  "starts_on", "updated_by_id", "updated_at"])
        self.rules: dict[int, tuple] = {}
        self.fund_w = self.w("fund_entries", [
            "id", "group_id", "village_id", "kind", "amount", "occurred_on", "source",
            "source_id", "revenue", "rate_bp", "purpose", "recipient", "description", "status",
            "decision_note", "decided_by_id", "decided_at", "form_token", "created_by_id",
            "created_at"], stream=True)
        for gid in self.g_ids:
            roll = rng.random()
            if gid == 1:
                rule = ("percent", 250, 0, self.today - 365)
            elif roll < 0.35:
                rule = ("percent", rng.choice((100, 150, 200, 250, 300, 500)), 0,
                        rng.randint(self.start, self.today - 30))
            elif roll < 0.45:
                rule = ("fixed", 0, rng.choice((25_000, 50_000, 75_000, 100_000)),
                        rng.randint(self.start, self.today - 30))
            else:
                continue
            self.rules[gid] = (rule[0], rule[1], rule[3], rule[2])
            w.add((self.next_id("fund_rules"), gid, rule[0], rule[1], rule[2], rule[3],
                   self.g_producers[gid][0], at_local(rule[3] - 1, 16)))

    # -- orders ------------------------------------------------------------------------------

    def orders(self) -> None:
        """Customer orders day by day, growing over three years: a group, one of its
        sellers, 1–3 claimed products; each order's steps up to now, with its history,
        capacity, stock movements (recent ones), returns, fund share and audit rows."""
        rng = random.Random(f"{self.seed}-orders")
        rand = rng.random
        n_orders = self.counts["orders"]
        now, start = self.now, self.start
        ow = self.w("orders", [
            "id", "village_id", "group_id", "reseller_id", "status", "channel",
            "marketplace_ref", "customer_name", "customer_phone", "address", "kecamatan",
            "kabupaten", "postcode", "courier", "courier_service", "shipping_cost", "payment",
            "dropship", "ship_date", "tracking_number", "notes", "cancel_reason", "form_token",
            "created_at", "confirmed_at", "packed_at", "shipped_at", "finished_at",
            "cancelled_at"], stream=True)
        lw = self.w("order_lines", ["id", "order_id", "product_id", "quantity",
                                    "reseller_price", "retail_price"], stream=True)
        ew = self.w("order_events", ["id", "order_id", "from_status", "to_status", "actor_id",
                                     "note", "created_at"], stream=True)
        rw = self.w("order_returns", [
            "id", "order_id", "line_id", "group_id", "reseller_id", "quantity", "reason",
            "borne_by", "resaleable", "credit", "note", "actor_id", "form_token",
            "created_at"])
        aw = self.w("audit_entries", ["id", "at", "actor_id", "village_id", "action", "entity",
                                      "entity_id", "changes"])
        ow_add, lw_add, ew_add, rw_add, aw_add = (w.append for w in (ow, lw, ew, rw, aw))
        # Sellers of each group, by the time their claims became active.
        g_sellers: dict[int, tuple[list, list, list]] = {}
        order_pairs = sorted(range(len(self.pair_reseller)), key=lambda i: self.pair_time[i])
        boost_reseller = None
        for pair in order_pairs:
            gid = self.pair_group[pair]
            uid = self.pair_reseller[pair]
            if gid == 1 and boost_reseller is None and self.r_village[uid] == 1:
                boost_reseller = uid  # the busiest reseller sells the largest group's goods
            times, cum, pairs = g_sellers.setdefault(gid, ([], [], []))
            weight = self.r_activity[uid] * math.sqrt(len(self.pair_products[pair]))
            if uid == boost_reseller:
                weight *= 40
            times.append(self.pair_time[pair])
            cum.append((cum[-1] if cum else 0) + weight)
            pairs.append(pair)
        group_pick = Pick([g for g in self.g_ids if g in g_sellers],
                          [self.g_weight[g] for g in self.g_ids if g in g_sellers])
        pair_pick = [Pick(ps, [self.p_pop[p] for p in ps]) for ps in self.pair_products]
        # Orders per day grow over the three years; today only until now.
        day_weights = [0.4 + 1.2 * k / HISTORY_DAYS for k in range(HISTORY_DAYS + 1)]
        day_weights[-1] *= 0.25
        per_day = allocate(n_orders, day_weights)
        hours = Pick(ORDER_HOURS, ORDER_HOUR_WEIGHTS)
        customers = [f"{a} {b}" for a in FIRST_NAMES for b in LAST_NAMES]
        rng.shuffle(customers)
        customers = customers[:1500]
        places = [(s.format(v=self.v_name[v]), self.v_kec[v])
                  for v in self.v_ids[:40] for s in STREETS]
        n_customers, n_places = len(customers), len(places)
        p_mto, p_rp, p_ret = self.p_mto, self.p_rp, self.p_ret
        g_producers, g_village = self.g_producers, self.g_village
        r_channels = self.r_channels
        reserve, contribute = self.reserve, self.contribute
        stock_events = self.stock_events
        stock_from = self.stock_from
        audit_from = now - AUDIT_DAYS * DAY
        r_orders: dict[int, int] = {}
        g_orders: dict[int, int] = {}
        p_orders: dict[int, int] = {}
        # What each (reseller, group) pair shipped per month: pair * 64 + month index.
        self.shipped: dict[int, int] = {}
        shipped = self.shipped
        self.pair_months: dict[int, int] = {}
        self.recent_orders: dict[tuple[int, int], list] = {}
        oid = lid = eid = 0
        ret_id = audit_id = 0
        month_of_day = {}
        base_month = day_of(start).year * 12 + day_of(start).month - 1
        for k, count in enumerate(per_day):
            if not count:
                continue
            day = start + k
            moments = []
            for _ in range(count):
                hour = hours(rand) + rand()
                moment = at_local(day, hour)
                if moment >= now:
                    moment = now - int(rand() * 4 * HOUR) - 60
                moments.append(moment)
            moments.sort()
            for w in (ow, lw, ew, rw, aw):
                w.flush_if_full()
            for created in moments:
                # The group, then one of its sellers whose claim was active by then.
                for _attempt in range(30):
                    gid = group_pick(rand)
                    times, cum, pairs = g_sellers[gid]
                    n_ready = bisect.bisect_right(times, created)
                    if n_ready:
                        break
                else:
                    continue
                pair = pairs[bisect.bisect_right(cum, rand() * cum[n_ready - 1])]
                uid = self.pair_reseller[pair]
                pick_product = pair_pick[pair]
                n_lines = 1 if rand() < 0.5 else 2 if rand() < 0.7 else 3
                products = []
                for _ in range(n_lines * 2):
                    p = pick_product(rand)
                    if p not in products:
                        products.append(p)
                        if len(products) == n_lines:
                            break
                products.sort()
                # Its fate: finished, shipped and never closed, cancelled, or stuck.
                roll = rand()
                conf = created + int((0.3 + rand() * 18) * HOUR)
                pack = conf + int((0.5 + rand() * 16) * HOUR)
                ship = pack + int((0.5 + rand() * 20) * HOUR)
                fin = ship + int((2 + rand() * 7) * DAY)
                cancel = None
                if roll < 0.0005:
                    stop = "confirmed" if rand() < 0.5 else "packed"
                elif roll < 0.065:
                    stop = "cancelled"
                    before = rand()
                    cancel_from = "new" if before < 0.5 else "confirmed" if before < 0.8 \
                        else "packed"
                    prev = {"new": created, "confirmed": conf, "packed": pack}[cancel_from]
                    cancel = prev + int((0.5 + rand() * 36) * HOUR)
                elif roll < 0.105:
                    stop = "shipped"
                else:
                    stop = "finished"
                # Where it is now.
                steps = [("new", created)]
                if stop == "cancelled":
                    if cancel_from in ("confirmed", "packed"):
                        steps.append(("confirmed", conf))
                    if cancel_from == "packed":
                        steps.append(("packed", pack))
                    steps.append(("cancelled", cancel))
                else:
                    steps.append(("confirmed", conf))
                    if stop != "confirmed":
                        steps.append(("packed", pack))
                    if stop in ("shipped", "finished"):
                        steps.append(("shipped", ship))
                    if stop == "finished":
                        steps.append(("finished", fin))
                steps = [s for s in steps if s[1] <= now]
                status = steps[-1][0]
                reached = dict(steps)
                ship_day = local_day(ship) if "shipped" in reached else \
                    local_day(created + int((12 + rand() * 28) * HOUR))
                holds = status in ("confirmed", "packed", "shipped", "finished")
                # Lines; made-to-order goods take the day's capacity when held.
                quantities = []
                for p in products:
                    if p_mto[p]:
                        q = 1 + int(rand() ** 2.5 * 20)
                        if holds:
                            q = reserve(p, ship_day, q)
                    else:
                        q = 1 + int(rand() ** 3 * 4)
                    if q:
                        quantities.append((p, q))
                if not quantities:
                    # Nothing left that day: the producer cancelled before confirming.
                    quantities = [(products[0], 1)]
                    status, stop, cancel_from = "cancelled", "cancelled", "new"
                    cancel = min(now, created + int((0.5 + rand() * 10) * HOUR))
                    steps = [("new", created), ("cancelled", cancel)]
                    reached = dict(steps)
                    holds = False
                oid += 1
                village = g_village[gid]
                producers = g_producers[gid]
                producer = producers[0] if rand() < 0.7 else producers[int(rand() * len(producers))]
                channel = r_channels[uid](rand)
                courier, service = COURIERS[int(rand() * len(COURIERS))]
                address, kecamatan = places[int(rand() * n_places)]
                tracking = ""
                if "shipped" in reached:
                    tracking = "antar sendiri" if courier == "Antar sendiri" else \
                        f"{courier[:3].upper()}{oid:010d}"
                reason = CANCEL_REASONS[int(rand() * len(CANCEL_REASONS))] \
                    if status == "cancelled" else ""
                ow_add((oid, village, gid, uid, status, channel,
                        f"{channel[:3].upper()}-{oid:09d}" if channel in ("shopee", "tokopedia")
                        else "",
                        customers[int(rand() * n_customers)],
                        f"62857{int(rand() * 1e8):08d}" if rand() < 0.7 else None,
                        f"{address} No. {1 + int(rand() * 120)}", kecamatan, "Kabupaten Bandung",
                        f"40{900 + int(rand() * 99):03d}", courier, service,
                        0 if courier == "Antar sendiri" else 8_000 + 1_000 * int(rand() * 20),
                        "cod" if rand() < 0.15 else "paid", rand() < 0.9, ship_day, tracking, "",
                        reason, f"{rng.getrandbits(128):032x}", created,
                        reached.get("confirmed"), reached.get("packed"), reached.get("shipped"),
                        reached.get("finished"), reached.get("cancelled")))
                owed = 0
                line_ids = []
                for p, q in quantities:
                    lid += 1
                    lw_add((lid, oid, p, q, p_rp[p], p_ret[p]))
                    line_ids.append((lid, p, q))
                    owed += q * p_rp[p]
                    p_orders[p] = p_orders.get(p, 0) + 1
                # History, stock and audit.
                previous = None
                audit = created >= audit_from
                for to_status, moment in steps:
                    eid += 1
                    if to_status == "new":
                        actor, note = uid, ""
                    elif to_status == "finished":
                        actor, note = (uid if rand() < 0.7 else producer), ""
                    elif to_status == "cancelled":
                        actor = uid if previous == "new" and rand() < 0.5 else producer
                        note = reason
                    else:
                        actor, note = producer, tracking if to_status == "shipped" else ""
                    ew_add((eid, oid, previous, to_status, actor, note, moment))
                    if audit:
                        audit_id += 1
                        if to_status == "new":
                            action, changes = "create", {
                                "lines": {str(p): q for p, q in quantities}}
                        else:
                            action = {"confirmed": "confirm", "packed": "pack",
                                      "shipped": "ship", "finished": "finish",
                                      "cancelled": "cancel"}[to_status]
                            changes = {"status": [previous, to_status]}
                            if to_status == "shipped":
                                changes["tracking_number"] = tracking
                        aw_add((audit_id, moment, actor, village, action, "order", oid,
                                changes))
                    if to_status == "confirmed" and moment >= stock_from:
                        for p, q in quantities:
                            if not p_mto[p]:
                                stock_events.append((moment, oid, p, "order", -q,
                                                     f"Pesanan #{oid}", actor, None))
                    if to_status == "cancelled" and previous in ("confirmed", "packed") \
                            and moment >= stock_from:
                        for p, q in quantities:
                            if not p_mto[p]:
                                stock_events.append((moment, oid, p, "cancel", q,
                                                     f"Pesanan #{oid} batal", actor, None))
                    previous = to_status
                r_orders[uid] = r_orders.get(uid, 0) + 1
                g_orders[gid] = g_orders.get(gid, 0) + 1
                if status in ("shipped", "finished"):
                    ship_at = reached["shipped"]
                    sday = local_day(ship_at)
                    month = month_of_day.get(sday)
                    if month is None:
                        d = day_of(sday)
                        month = month_of_day[sday] = d.year * 12 + d.month - 1 - base_month
                    key = pair * 64 + month
                    shipped[key] = shipped.get(key, 0) + owed
                    if rand() < 0.008:
                        # A return after delivery, on one line of the order.
                        lid_r, p, q = line_ids[int(rand() * len(line_ids))]
                        moment = ship_at + int((2 + rand() * 10) * DAY)
                        if moment <= now:
                            ret_id += 1
                            qty = 1 + int(rand() * q)
                            reason_r = RETURN_REASONS[int(rand() * len(RETURN_REASONS))]
                            borne = "producer" if rand() < 0.6 else "reseller"
                            resale = reason_r in ("wrong_item", "refused_cod") and rand() < 0.7
                            credit = p_rp[p] * qty if borne == "producer" else 0
                            rw_add((ret_id, oid, lid_r, gid, uid, qty, reason_r, borne, resale,
                                    credit, "", producer, hex_token(rng), moment))
                            if credit:
                                shipped[key] = shipped.get(key, 0) - credit
                            if resale and not p_mto[p] and moment >= stock_from:
                                stock_events.append((moment, oid, p, "return", qty,
                                                     f"Retur pesanan #{oid}", producer, None))
                if status == "finished":
                    fin_at = reached["finished"]
                    contribute(gid, "order", oid, owed, local_day(fin_at), fin_at, producer)
                if gid == 1 and status in ("shipped", "finished"):
                    self.recent_orders[(gid, uid)] = [oid, len(quantities), created]
        self.ids.update(orders=oid, order_lines=lid, order_events=eid, order_returns=ret_id,
                        audit_entries=audit_id)
        self.r_orders, self.g_orders, self.p_orders = r_orders, g_orders, p_orders
        self.base_month = base_month

    # -- reseller payments ------------------------------------------------------------------

    def payments(self) -> None:
        """Each pair pays last month's shipments early in the next month; the latest
        transfers still wait for the group's confirmation."""
        rng = random.Random(f"{self.seed}-payments")
        w = self.w("reseller_payments", [
            "id", "reseller_id", "group_id", "village_id", "amount", "paid_on", "reference",
            "status", "note", "decided_by_id", "decided_at", "form_token", "created_at"])
        by_pair: dict[int, list[tuple[int, int]]] = {}
        for key in sorted(self.shipped):
            by_pair.setdefault(key // 64, []).append((key % 64, self.shipped[key]))
        banks = ("BRI", "BJB", "BNI", "DANA", "OVO", "Mandiri", "BSI")
        for pair in sorted(by_pair):
            uid, gid = self.pair_reseller[pair], self.pair_group[pair]
            carry = 0
            for month, amount in by_pair[pair]:
                carry += amount
                if carry < 10_000 or rng.random() < 0.15:
                    continue
                year, mon = divmod(self.base_month + month + 1, 12)
                paid_on = (date(year, mon + 1, 1) - EPOCH).days + rng.randint(0, 25)
                if paid_on > self.today:
                    continue
                pay = round_to(carry * rng.uniform(0.75, 1.0), 1_000)
                created = at_local(paid_on, rng.uniform(8, 21))
                if created > self.now:
                    created = self.now - rng.randint(60, 3 * HOUR)
                recent = self.today - paid_on <= 4
                status = "submitted" if recent and rng.random() < 0.7 else \
                    "rejected" if rng.random() < 0.02 else "confirmed"
                decided_by = decided_at = None
                if status != "submitted":
                    decided_by = self.g_producers[gid][0]
                    decided_at = min(self.now, created + rng.randint(HOUR, 3 * DAY))
                if status == "confirmed":
                    carry -= pay
                w.add((self.next_id("reseller_payments"), uid, gid, self.g_village[gid], pay,
                       paid_on, f"{rng.choice(banks)} {rng.randint(1000, 9999)}", status,
                       "Bukti transfer tidak terbaca." if status == "rejected" else "",
                       decided_by, decided_at, hex_token(rng), created))

    # -- events and catering ---------------------------------------------------------------

    def events(self) -> None:
        """Events of each village's partners, most with a catering booking split between
        groups, confirmed, delivered, invoiced and paid as time went by."""
        rng = random.Random(f"{self.seed}-events")
        rand = rng.random
        n = self.counts["events"]
        weights = [self.v_weight[v] for v in self.v_ids]
        share = weights[0] / sum(weights)
        if share < TOP_VILLAGE_EVENT_SHARE:
            weights[0] = TOP_VILLAGE_EVENT_SHARE / (1 - TOP_VILLAGE_EVENT_SHARE) \
                * sum(weights[1:])
        per_village = allocate(n, weights)
        past = [0.4 + 1.2 * k / HISTORY_DAYS for k in range(HISTORY_DAYS)]
        future = [1.6 * max(0.05, 1 - k / FUTURE_DAYS) for k in range(FUTURE_DAYS)]
        day_pick = Pick(range(self.start, self.today + FUTURE_DAYS), past + future)
        ew = self.w("events", [
            "id", "village_id", "partner_id", "title", "place", "starts_at", "ends_at",
            "headcount", "notes", "status", "cancel_reason", "sequence", "created_by_id",
            "created_at", "updated_at"])
        bw = self.w("catering_bookings", [
            "id", "event_id", "village_id", "partner_id", "kind", "status", "deliver_at",
            "deliver_place", "dietary_notes", "cancel_reason", "sequence", "form_token",
            "created_by_id", "created_at", "updated_at", "delivered_at", "invoiced_at",
            "paid_at", "cancelled_at"])
        lw = self.w("booking_lines", [
            "id", "booking_id", "group_id", "product_id", "description", "quantity",
            "unit_price", "confirmed_at", "confirmed_by_id"])
        feed_from = self.now - FEED_PAST_DAYS * DAY
        self.top_feed_items = 0
        self.pa_bookings: dict[int, int] = {}
        self.best_booking = self.paid_booking = self.any_booking = None
        # The partner the benchmark signs in as: the Pemerintah Desa of the largest village.
        self.top_partner = self.v_partners[self.top_village][0]
        for vid, count in zip(self.v_ids, per_village, strict=True):
            partners = self.v_partners[vid]
            partner_pick = Pick(partners, [
                {"pemdes": 45, "kecamatan": 20}.get(self.pa_kind[p], 35 / max(1, len(partners)))
                for p in partners])
            food = [g for g in self.v_groups[vid] if self.g_kind[g] == "food"]
            craft = [g for g in self.v_groups[vid] if self.g_kind[g] == "craft"]
            caterers = food or self.v_groups[vid]
            caterer_pick = Pick(caterers, [math.sqrt(self.g_weight[g]) for g in caterers])
            officers = self.v_officers[vid]
            days = sorted(day_pick(rand) for _ in range(count))
            anchors = set()
            if vid == self.top_village:
                # Whatever the scale, the benchmark's partner has events in this
                # month and the officer's agenda some in the weeks ahead.
                anchors = {self.today + k for k in ANCHOR_DAYS}
                days = sorted(days + sorted(anchors))
            for day in days:
                partner = self.top_partner if day in anchors else partner_pick(rand)
                kind = self.pa_kind[partner]
                title = rng.choice(EVENT_TITLES[kind]).format(v=self.v_name[vid],
                                                               k=self.v_kec[vid])
                place = rng.choice((f"Aula Kantor Desa {self.v_name[vid]}",
                                    f"Balai Warga RW {rng.randint(1, 15):02d}",
                                    f"Aula Kecamatan {self.v_kec[vid]}",
                                    f"Gedung Serbaguna {self.v_name[vid]}"))
                hour = rng.choice((8, 8, 9, 9, 10, 13, 14))
                starts = at_local(day, hour)
                ends = starts + rng.choice((2, 3, 3, 4, 6)) * HOUR
                headcount = rng.choice((15, 20, 25, 30, 40, 50, 60, 80, 100, 150))
                created = min(self.now - HOUR, starts - rng.randint(5, 60) * DAY)
                if created >= starts:
                    created = starts - 2 * HOUR
                creator = rng.choice(officers)
                status, cancel_reason, sequence, updated = "planned", "", 0, created
                cancelled_at = None
                if rand() < 0.04:
                    cancelled_at = created + int(rand() * max(HOUR, starts - created - HOUR))
                    if cancelled_at <= self.now:
                        status = "cancelled"
                        cancel_reason = "Jadwal bentrok dengan kegiatan kecamatan."
                        sequence += 1
                        updated = cancelled_at
                    else:
                        cancelled_at = None
                if rand() < 0.15 and created + DAY < min(self.now, starts):
                    sequence += 1
                    if status == "planned":
                        updated = created + DAY
                eid = self.next_id("events")
                ew.add((eid, vid, partner, title, place, starts, ends, headcount, "", status,
                        cancel_reason, sequence, creator, created, updated))
                roll = rand()
                n_bookings = 0 if roll < 0.08 else 2 if roll < 0.15 else 1
                for b in range(n_bookings):
                    booking_kind = "meal" if (b == 1 or rand() < 0.25) else "snack"
                    deliver = starts - rng.choice((30, 45, 60, 90)) * 60
                    b_created = min(created + rng.randint(0, 3 * DAY),
                                    self.now - 60, deliver - HOUR)
                    b_created = max(b_created, created)
                    # Lines, split between the village's groups.
                    lines_n = 1 if rand() < 0.5 else 2 if rand() < 0.7 else 3
                    groups = []
                    if vid == self.top_village and 1 in caterers and rand() < 0.92:
                        groups.append(1)
                    for _ in range(lines_n * 3):
                        if len(groups) >= lines_n:
                            break
                        g = caterer_pick(rand)
                        if g not in groups:
                            groups.append(g)
                    souvenir = craft and rand() < 0.06
                    if souvenir:
                        groups.append(rng.choice(craft))
                    # Its fate and steps.
                    cancelled = status == "cancelled" or rand() < 0.05
                    steps = []  # (time, step) after creation
                    b_status = "requested"
                    confirm_times = {}
                    for g in groups:
                        at = b_created + rng.randint(HOUR, 2 * DAY)
                        confirm_times[g] = min(at, deliver - 30 * 60)
                    b_cancel = None
                    if cancelled:
                        if status == "cancelled":
                            b_cancel = cancelled_at
                        else:
                            b_cancel = b_created + int(rand() * max(HOUR, deliver - b_created))
                        if b_cancel > self.now:
                            cancelled, b_cancel = False, None
                    if cancelled:
                        b_status = "cancelled"
                        confirm_times = {g: t for g, t in confirm_times.items()
                                         if t < b_cancel and rand() < 0.5}
                    else:
                        confirm_times = {g: t for g, t in confirm_times.items()
                                         if t <= self.now}
                        if len(confirm_times) == len(groups):
                            b_status = "confirmed"
                    delivered_at = invoiced_at = paid_at = None
                    if b_status == "confirmed":
                        delivered_at = deliver + rng.randint(0, 2 * HOUR)
                        invoiced_at = delivered_at + rng.randint(2 * HOUR, 3 * DAY)
                        paid_at = invoiced_at + rng.randint(2 * DAY, 30 * DAY)
                        if rand() < 0.03:
                            paid_at = None
                        if delivered_at <= self.now:
                            b_status = "delivered"
                        else:
                            delivered_at = None
                        if delivered_at and invoiced_at <= self.now:
                            b_status = "invoiced"
                        else:
                            invoiced_at = None
                        if invoiced_at and paid_at and paid_at <= self.now:
                            b_status = "paid"
                        else:
                            paid_at = None
                    for t in confirm_times.values():
                        steps.append(t)
                    steps += [t for t in (delivered_at, invoiced_at, paid_at, b_cancel) if t]
                    if b_cancel is not None and b_cancel < b_created:
                        # Booked before the event was called off, not after.
                        b_created = max(created, b_cancel - 60)
                    b_updated = max([b_created, *steps])
                    bid = self.next_id("catering_bookings")
                    creator_b = rng.choice(officers)
                    if partner in self.pa_contact and rand() < 0.3:
                        creator_b = self.pa_contact[partner]
                    bw.add((bid, eid, vid, partner, booking_kind, b_status, deliver, place,
                            "Halal." if rand() < 0.5 else "",
                            (f"Acara dibatalkan: {cancel_reason}" if status == "cancelled"
                             else "Dibatalkan mitra.") if b_status == "cancelled" else "",
                            len(steps), hex_token(rng), creator_b, b_created, b_updated,
                            delivered_at, invoiced_at, paid_at,
                            b_cancel if b_status == "cancelled" else None))
                    revenue: dict[int, int] = {}
                    deliver_day = local_day(deliver)
                    for g in groups:
                        is_souvenir = souvenir and g == groups[-1] and g in craft
                        product = None
                        if is_souvenir:
                            description, low, high = rng.choice(SOUVENIRS)
                            quantity = rng.randint(2, 10)
                            price = round_to(rng.uniform(low, high), 5_000)
                        else:
                            quantity = headcount if len(groups) == 1 or rand() < 0.6 \
                                else max(1, headcount // 2)
                            mto = [p for p in self.g_products[g]
                                   if self.p_mto[p] and self.p_active[p]]
                            candidate = rng.choice(mto) if mto and rand() < 0.7 else None
                            if candidate is not None and b_status != "cancelled":
                                # Not enough capacity that day: the line is written by hand.
                                if self.reserve(candidate, deliver_day, quantity, partial=False):
                                    product = candidate
                            elif candidate is not None:
                                product = candidate
                            if product is not None:
                                description, price = self.p_name[product], self.p_ret[product]
                            else:
                                description, low, high = rng.choice(CUSTOM_SNACKS)
                                price = round_to(rng.uniform(low, high), 500)
                        confirmed = confirm_times.get(g)
                        confirmer = None
                        if confirmed is not None:
                            confirmer = self.g_producers[g][0] if rand() < 0.8 else \
                                rng.choice(officers)
                        lw.add((self.next_id("booking_lines"), bid, g, product, description,
                                quantity, price, confirmed, confirmer))
                        revenue[g] = revenue.get(g, 0) + quantity * price
                        if g == 1 and deliver >= feed_from:
                            self.top_feed_items += 1
                    if b_status in ("delivered", "invoiced", "paid"):
                        officer = rng.choice(officers)
                        for g in revenue:
                            self.issue(vid, "delivery", delivered_at + rng.randint(60, HOUR),
                                       "booking", bid, g, self.g_producers[g][0])
                            if invoiced_at:
                                self.issue(vid, "invoice", invoiced_at, "booking", bid, g,
                                           officer)
                            if paid_at:
                                self.issue(vid, "receipt", paid_at, "booking", bid, g, officer)
                    if b_status == "paid":
                        for g, amount in revenue.items():
                            self.contribute(g, "booking", bid, amount, local_day(paid_at),
                                            paid_at, None)
                    self.pa_bookings[partner] = self.pa_bookings.get(partner, 0) + 1
                    if partner == self.top_partner and self.top_group in revenue:
                        self.any_booking = (bid, eid)
                        # Its documents are opened by number: a paid one has all three.
                        if b_status == "paid":
                            self.paid_booking = (bid, eid)
                    if partner == self.top_partner and b_status == "paid" \
                            and self.top_group in revenue and len(revenue) >= 2:
                        self.best_booking = (bid, eid)

    # -- partnerships ------------------------------------------------------------------------

    def partnerships(self) -> None:
        """Partnerships of partners with groups of their village, with their letters."""
        rng = random.Random(f"{self.seed}-partnerships")
        w = self.w("partnerships", [
            "id", "village_id", "partner_id", "title", "scope", "price_terms", "starts_on",
            "ends_on", "status", "created_at"])
        links = self.w("partnership_groups", ["partnership_id", "group_id"])
        chance = {"pemdes": 1.0, "kecamatan": 0.7, "bumdes": 0.5, "swasta": 0.4}
        self.top_partnership = None
        for paid in self.pa_ids:
            kind, vid = self.pa_kind[paid], self.pa_village[paid]
            if rng.random() >= chance.get(kind, 0.3):
                continue
            plans = ["active"]
            if kind == "pemdes" and rng.random() < 0.6:
                plans.insert(0, "ended")
            for n, status in enumerate(plans):
                if status == "ended":
                    starts = self.today - rng.randint(600, 1000)
                    ends = starts + 365
                elif paid == self.top_partner:
                    starts, ends = self.today - rng.randint(10, 300), None
                else:
                    roll = rng.random()
                    if roll < 0.12:
                        status = "proposed"
                        starts = self.today + rng.randint(5, 40)
                    else:
                        starts = self.today - rng.randint(10, 500)
                    ends = starts + 365 if rng.random() < 0.8 else None
                    if status == "active" and ends is not None and ends < self.today:
                        status = "ended"
                created = at_local(min(starts, self.today) - rng.randint(7, 30), 10)
                groups = [g for g in self.v_groups[vid]]
                chosen = sorted(rng.sample(groups, min(len(groups), rng.randint(1, 4))))
                if paid == self.top_partner and self.top_group not in chosen:
                    chosen = sorted([self.top_group, *chosen[:3]])
                pid = self.next_id("partnerships")
                w.add((pid, vid, paid,
                       f"Penyediaan makanan ringan dan kerajinan lokal untuk {self.pa_name[paid]}"
                       + (f" (tahap {n + 1})" if len(plans) > 1 else ""),
                       "Kelompok menyediakan snack box, kue khas desa dan cendera mata untuk "
                       "rapat dan acara mitra.",
                       "Harga sesuai katalog; pembayaran paling lambat 14 hari setelah kwitansi "
                       "diterima.", starts, ends, status, created))
                for g in chosen:
                    links.add((pid, g))
                officer = self.officer_of_village[vid]
                if status != "proposed" or rng.random() < 0.5:
                    offered = min(self.now - HOUR, created + rng.randint(1, 5) * DAY)
                    self.issue(vid, "offer", offered, "partnership", pid, None, officer)
                if status in ("active", "ended"):
                    self.issue(vid, "agreement", min(self.now - HOUR, at_local(starts, 9)),
                               "partnership", pid, None, officer)
                if status == "active" and paid == self.top_partner:
                    self.top_partnership = pid

    # -- consignment -------------------------------------------------------------------------

    def consignment(self) -> None:
        """Outlets of the groups that leave goods at warung and markets. At each visit
        every drop still on the shelf is counted (sold = before − remaining − taken
        back − spoiled), cash is collected, and new goods are left."""
        rng = random.Random(f"{self.seed}-consignment")
        self.outlet_w = self.w("outlets", [
            "id", "group_id", "village_id", "name", "kind", "owner_name", "phone",
            "outlet_village", "address", "notes", "active", "created_at"])
        self.drop_w = self.w("consignment_drops", [
            "id", "outlet_id", "group_id", "village_id", "product_id", "quantity", "on_shelf",
            "unit_price", "cut_kind", "cut_value", "placed_on", "pull_back_on", "status",
            "notes", "form_token", "created_by_id", "created_at", "closed_at"])
        self.visit_w = self.w("consignment_visits", [
            "id", "outlet_id", "group_id", "village_id", "visited_on", "amount_due",
            "cash_collected", "notes", "form_token", "created_by_id", "created_at"])
        self.visit_line_w = self.w("consignment_visit_lines", [
            "id", "visit_id", "drop_id", "product_id", "on_shelf_before", "remaining",
            "returned", "expired", "sold", "unit_price", "cut_amount", "amount_due"])
        takers = [g for g in self.g_ids
                  if g == 1 or (self.g_kind[g] in ("food", "craft") and rng.random() < 0.6)]
        per_group = allocate(self.counts["visits"], [self.g_weight[g] ** 0.7 for g in takers])
        self.top_outlet = self.top_visit = None
        top_visits = -1
        for gid, visits in zip(takers, per_group, strict=True):
            products = [p for p in self.g_products[gid] if self.p_active[p]]
            if not products or not visits:
                continue
            n_outlets = max(1, min(12, round(visits / 15)))
            shares = allocate(visits, [1 + rng.random() for _ in range(n_outlets)])
            for n, count in enumerate(shares):
                if not count:
                    continue
                outlet, made, last_slip = self._outlet(rng, gid, n, count, products)
                if gid == self.top_group and made > top_visits and last_slip is not None:
                    top_visits, self.top_outlet, self.top_visit = made, outlet, last_slip

    def _outlet(self, rng, gid: int, n: int, count: int, products: list[int]):
        """One outlet of ``gid`` with ``count`` visits; returns (outlet id, visits made,
        the last visit with a numbered slip)."""
        rand = rng.random
        vid = self.g_village[gid]
        producer = self.g_producers[gid][0]
        outlet = self.next_id("outlets")
        kind = rng.choice(("warung", "warung", "pasar", "kios", "toko"))
        owner = self.person(rng)
        first_name = owner.split()[0]
        name = {"warung": f"Warung {first_name}", "pasar": f"Lapak Pasar {self.v_kec[vid]}",
                "kios": f"Kios {first_name}", "toko": f"Toko {first_name} Jaya"}[kind]
        name = f"{name} ({n + 1})"
        active = rand() < 0.9 or gid == self.top_group
        end_day = self.today - 1 - rng.randint(0, 10) if active else \
            self.today - rng.randint(60, 400)
        first_day = min(end_day - count - 1, int(end_day - count * rng.uniform(7, 21)))
        first_day = max(first_day, min(self.start + 1, end_day - count - 1))
        self.outlet_w.add((outlet, gid, vid, name, kind, owner, f"62819{outlet:08d}",
                           self.v_name[vid],
                           f"Jl. Raya {self.v_name[vid]} No. {rng.randint(1, 99)}", "", active,
                           at_local(first_day, 9)))
        span = end_day - first_day - 1
        visit_days = sorted({first_day + 1 + round(k * span / max(1, count - 1))
                             for k in range(count)}) if count > 1 else [end_day]
        shelf: list[list] = []  # open drops: [id, product, quantity, on shelf, price,
        #                          cut kind, cut value, placed on, pull back on, at, token]
        outstanding = 0
        last_slip = None
        self._place(rng, shelf, outlet, gid, name, products, first_day,
                    at_local(first_day, 9) + 600)
        last = len(visit_days) - 1
        for k, day in enumerate(visit_days):
            at = at_local(day, rng.uniform(13, 17))
            visit = self.next_id("consignment_visits")
            due_total = 0
            still, lines = [], []
            closing = not active and k == last
            for drop in shelf:
                p, before, price = drop[1], drop[3], drop[4]
                perishable = self.p_shelf[p] is not None
                sold = int(before * rng.uniform(0.2, 0.8))
                expired = returned = 0
                if closing or (drop[8] is not None and day >= drop[8]):
                    if perishable:
                        expired = before - sold
                    else:
                        returned = before - sold
                    remaining = 0
                else:
                    if perishable and rand() < 0.2:
                        expired = min(before - sold, rng.randint(0, 2))
                    remaining = before - sold - expired
                    if remaining <= 1:
                        sold, remaining = sold + remaining, 0
                cut = sold * price * drop[6] // 10_000 if drop[5] == "percent" \
                    else sold * drop[6]
                due = sold * price - cut
                due_total += due
                lines.append((self.next_id("consignment_visit_lines"), visit, drop[0], p, before,
                              remaining, returned, expired, sold, price, cut, due))
                if returned and not self.p_mto[p] and at >= self.stock_from:
                    self.stock_events.append((at, 0, p, "consignment_back", returned,
                                              f"Ditarik dari {name}", producer, None))
                drop[3] = remaining
                if remaining:
                    still.append(drop)
                else:
                    self._drop_row(drop, outlet, gid, producer, at)
            shelf[:] = still
            owed = outstanding + due_total
            cash = owed
            if rand() < 0.3 and owed >= 2000:
                cash = min(owed, round_to(owed * rng.uniform(0.4, 1.0), 1000))
            outstanding = owed - cash
            self.visit_w.add((visit, outlet, gid, vid, day, due_total, cash, "", hex_token(rng),
                              producer, at))
            self.visit_line_w.extend(lines)
            if due_total:
                self.contribute(gid, "consignment", visit, due_total, day, at, producer)
            if lines and (rand() < 0.3 or (gid == self.top_group and day >= self.today - 60)):
                self.issue(vid, "consign", at + rng.randint(60, 2 * HOUR), "visit", visit, gid,
                           producer)
                last_slip = visit
            if not closing:
                self._place(rng, shelf, outlet, gid, name, products, day, at + 600)
        for drop in shelf:
            self._drop_row(drop, outlet, gid, producer, None)
        return outlet, len(visit_days), last_slip

    def _place(self, rng, shelf, outlet, gid, outlet_name, products, day, at) -> None:
        """Leave one or two products at the outlet: stock leaves through the ledger,
        made-to-order goods take the day's capacity."""
        producer = self.g_producers[gid][0]
        for p in rng.sample(products, min(len(products), 1 + (rng.random() < 0.4))):
            if self.p_mto[p]:
                quantity = self.reserve(p, day, rng.randint(10, 40))
            else:
                quantity = rng.randint(2, 8)
            if not quantity:
                continue
            price = self.p_ret[p]
            if rng.random() < 0.7:
                cut_kind, cut_value = "percent", rng.choice((500, 1000, 1500, 2000))
            else:
                cut_kind, cut_value = "fixed", min(price, rng.choice((500, 1000, 2000, 3000)))
            pull = day + self.p_shelf[p] if self.p_shelf[p] else None
            form = hex_token(rng)
            shelf.append([self.next_id("consignment_drops"), p, quantity, quantity, price,
                          cut_kind, cut_value, day, pull, at, form])
            if not self.p_mto[p] and at >= self.stock_from:
                self.stock_events.append((at, 0, p, "consignment_out", -quantity,
                                          f"Titip di {outlet_name}", producer, form))

    def _drop_row(self, drop, outlet, gid, producer, closed_at) -> None:
        """Write a drop once its shelf is settled (closed) or at the end (open)."""
        self.drop_w.add((drop[0], outlet, gid, self.g_village[gid], drop[1], drop[2], drop[3],
                         drop[4], drop[5], drop[6], drop[7], drop[8],
                         "closed" if closed_at else "open", "", drop[10], producer, drop[9],
                         closed_at))

    # -- the stock ledger --------------------------------------------------------------------

    def stock_ledger(self) -> None:
        """Each stocked product: its stock counted at the start of the window, then
        every movement since in time order; a production batch is recorded before a
        take-out that would go below zero. The product's stock is the last balance."""
        rng = random.Random(f"{self.seed}-stock")
        w = self.w("stock_movements", ["id", "product_id", "kind", "quantity", "balance_after",
                                       "note", "actor_id", "form_token", "created_at"])
        balance = {}
        last_at = {}
        mid = 0
        for p in self.p_ids:
            if self.p_mto[p]:
                continue
            opening = rng.choice((0, 5, 8, 12, 20, 30, 50))
            at = self.stock_from - DAY + p % 3600
            last_at[p] = at
            balance[p] = opening
            if opening:
                mid += 1
                w.add((mid, p, "adjustment", opening, opening, "Stok opname awal",
                       self.g_producers[self.p_group[p]][0], None, at))
        self.stock_events.sort(key=lambda e: (e[0], e[1], e[2]))
        for at, _order, p, kind, quantity, note, actor, form in self.stock_events:
            have = balance[p]
            if quantity < 0 and have + quantity < 0:
                batch = -quantity - have + rng.choice((5, 10, 20, 30))
                made_at = max(last_at[p] + 60, at - rng.randint(HOUR, 6 * HOUR))
                have += batch
                mid += 1
                w.add((mid, p, "production", batch, have, "Produksi",
                       self.g_producers[self.p_group[p]][0], None, made_at))
            have += quantity
            mid += 1
            w.add((mid, p, kind, quantity, have, note, actor, form, max(at, last_at[p] + 1)))
            last_at[p] = max(at, last_at[p] + 1)
            balance[p] = have
        for p, have in balance.items():
            self.p_row[p][17] = have
        self.ids["stock_movements"] = mid
        self.stock_events = []

    def products_rows(self) -> None:
        """Products, now that their stock and open claims are known."""
        w = self.w("products", [
            "id", "group_id", "village_id", "sku", "name", "description", "category", "unit",
            "weight_grams", "cost_price", "reseller_price", "retail_price", "dropship_price",
            "active", "shelf_life_days", "made_to_order", "daily_capacity", "stock",
            "claim_cap", "claim_needs_approval", "claim_count", "created_at", "updated_at"])
        for p in self.p_ids:
            w.add(tuple(self.p_row[p]))

    def capacity_rows(self) -> None:
        """What orders, bookings and drops promised per made-to-order product and day."""
        w = self.w("capacity_days", ["id", "product_id", "day", "used"])
        for n, key in enumerate(sorted(self.capacity), start=1):
            w.add((n, key // 100_000, key % 100_000, self.capacity[key]))
        self.capacity = {}

    # -- the fund: fixed months and disbursements -------------------------------------------

    def fund_fixed_and_disbursements(self) -> None:
        """The monthly entries of fixed rules up to this month, and requests for money
        out of the fund (approved ones never more than half of what came in)."""
        rng = random.Random(f"{self.seed}-disbursements")
        this_month = month_key(self.today)
        for gid, (mode, _rate, starts, fixed) in self.rules.items():
            if mode != "fixed":
                continue
            d = day_of(starts)
            year, month = d.year, d.month
            while year * 100 + month <= this_month:
                first = (date(year, month, 1) - EPOCH).days
                day = max(first, starts)
                self.fund_totals[gid] = self.fund_totals.get(gid, 0) + fixed
                self.fund_w.add((self.next_id("fund_entries"), gid, self.g_village[gid],
                                 "contribution", fixed, day, "fixed", year * 100 + month, None,
                                 None, None, "", "", None, "", None, None, None, None,
                                 min(self.now - 60, at_local(day, 0.1))))
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        for gid in sorted(self.fund_totals):
            total = self.fund_totals[gid]
            if total < 100_000:
                continue
            budget = total // 2
            for _ in range(rng.randint(1, 4)):
                amount = round_to(total * rng.uniform(0.03, 0.15), 10_000)
                roll = rng.random()
                status = "approved" if roll < 0.6 else "requested" if roll < 0.8 else "rejected"
                if status == "approved":
                    if amount > budget:
                        continue
                    budget -= amount
                day = self.today - (rng.randint(0, 20) if status == "requested"
                                    else rng.randint(5, 150))
                created = min(self.now - 60, at_local(day, 15))
                officer = self.officer_of_village[self.g_village[gid]]
                decided = None if status == "requested" else \
                    min(self.now - 30, created + rng.randint(HOUR, 5 * DAY))
                self.fund_w.add((
                    self.next_id("fund_entries"), gid, self.g_village[gid], "disbursement",
                    amount, day, None, None, None, None, rng.choice(PURPOSES),
                    f"Keluarga {self.person(rng)}", "Bantuan dari dana sosial kelompok.",
                    status, "Dana belum mencukupi." if status == "rejected" else "",
                    officer if decided else None, decided, hex_token(rng),
                    self.g_producers[gid][0], created))

    # -- proposals ---------------------------------------------------------------------------

    def proposals(self) -> None:
        """A few capital proposals at every step of the workflow, with budget lines,
        checklist, history and the letters issued at endorsement and sending."""
        rng = random.Random(f"{self.seed}-proposals")
        pw = self.w("proposals", [
            "id", "village_id", "group_id", "status", "title", "funder_kind", "funder_name",
            "funder_address", "kur_scheme", "background", "aims", "activities", "closing",
            "requested_amount", "chair_name", "secretary_name", "treasurer_name",
            "evidence_months", "officer_comment", "approved_amount", "disbursed_amount",
            "report", "form_token", "created_by_id", "created_at", "updated_at",
            "submitted_at", "endorsed_at", "sent_at", "decided_at", "disbursed_at",
            "reported_at"])
        bw = self.w("proposal_budget_lines", ["id", "proposal_id", "position", "item", "volume",
                                              "unit", "unit_price"])
        cw = self.w("proposal_checklist_items", ["id", "proposal_id", "key", "present",
                                                 "not_needed", "note"])
        sw = self.w("proposal_steps", ["id", "proposal_id", "from_status", "to_status",
                                       "comment", "actor_id", "at"])
        n = max(3, round(len(self.g_ids) * 0.08))
        group_pick = Pick(self.g_ids, [math.sqrt(self.g_weight[g]) for g in self.g_ids])
        plan = [(1, "sent"), (1, "draft")]
        statuses = Pick(("draft", "submitted", "revision", "endorsed", "sent", "approved",
                         "rejected", "disbursed", "reported"), (20, 15, 10, 10, 15, 10, 5, 8, 7))
        while len(plan) < n:
            plan.append((group_pick(rng.random), statuses(rng.random)))
        path = ("submitted", "endorsed", "sent")
        self.top_proposal = None
        for gid, status in plan:
            vid = self.g_village[gid]
            producer = self.g_producers[gid][0]
            officer = self.officer_of_village[vid]
            proposal = self.next_id("proposals")
            items = [("Mesin produksi", "unit", 1, 5_000_000),
                     ("Peralatan dapur", "set", 3, 900_000),
                     ("Pelatihan kemasan dan label", "orang", 15, 100_000),
                     ("Bahan baku awal", "paket", 10, 350_000),
                     ("Etalase dan rak", "unit", 2, 1_250_000),
                     ("Sertifikasi halal", "paket", 1, 650_000)]
            chosen = rng.sample(items, rng.randint(2, 6))
            total = 0
            for pos, (item, unit, volume, price) in enumerate(chosen):
                volume = max(1, volume + rng.randint(-1, 3))
                price = round_to(price * rng.uniform(0.7, 1.3), 50_000)
                total += volume * price
                bw.add((self.next_id("proposal_budget_lines"), proposal, pos, item, volume,
                        unit, price))
            requested = min(total, round_to(total * rng.uniform(0.7, 1.0), 100_000))
            funder = rng.choice(tuple(FUNDERS))
            scheme = None
            if funder == "kur":
                scheme = "super_mikro" if requested <= 10_000_000 else "mikro" \
                    if requested <= 100_000_000 else "kecil"
            order = ["draft"]
            if status in ("revision",):
                order += ["submitted", "revision"]
            elif status != "draft":
                if rng.random() < 0.2 and status != "submitted":
                    order += ["submitted", "revision"]
                order += ["submitted"]
                for step in path[1:]:
                    if status == "submitted":
                        break
                    order.append(step)
                    if step == status:
                        break
                if status in ("approved", "rejected", "disbursed", "reported"):
                    order.append("approved" if status != "rejected" else "rejected")
                    if status in ("disbursed", "reported"):
                        order.append("disbursed")
                    if status == "reported":
                        order.append("reported")
            moments = [self.now - rng.randint(20, 500) * DAY]
            for _ in order[1:]:
                moments.append(moments[-1] + rng.randint(2, 20) * DAY)
            if moments[-1] > self.now - HOUR:
                shift = moments[-1] - (self.now - HOUR)
                moments = [m - shift for m in moments]
            stamps = {}
            for k in range(1, len(order)):
                frm, to = order[k - 1], order[k]
                actor = officer if to in ("revision", "endorsed", "approved", "rejected") \
                    else producer
                comment = {"revision": "Lengkapi RAB dan foto usaha.",
                           "endorsed": "Layak direkomendasikan.",
                           "rejected": "Anggaran tahun ini sudah habis.",
                           "reported": "Dana sudah dipakai sesuai RAB."}.get(to, "")
                sw.add((self.next_id("proposal_steps"), proposal, frm, to, comment, actor,
                        moments[k]))
                stamps[to] = moments[k]
                if to == "endorsed":
                    self.issue(vid, "advocacy", moments[k], "proposal", proposal, None, officer)
                if to == "sent":
                    self.issue(vid, "proposal", moments[k], "proposal", proposal, None, actor)
            approved = disbursed = None
            if "approved" in stamps:
                approved = round_to(requested * rng.uniform(0.5, 1.0), 100_000)
            if "disbursed" in stamps:
                disbursed = approved
            comment = {"revision": "Lengkapi RAB dan foto usaha.",
                       "endorsed": "Layak direkomendasikan."}.get(status, "")
            if "endorsed" in stamps and not comment:
                comment = "Layak direkomendasikan."
            pw.add((proposal, vid, gid, status,
                    f"Penambahan alat produksi {self.g_name[gid]}"[:200], funder,
                    FUNDERS[funder].format(v=self.v_name[vid], k=self.v_kec[vid]),
                    "Jl. Raya Soreang, Kabupaten Bandung", scheme,
                    "Pesanan sering melebihi kapasitas produksi harian kelompok.",
                    "Menambah kapasitas produksi dan memperbaiki kemasan.",
                    "1. Pembelian alat.\n2. Pelatihan kemasan.", "Atas perhatiannya kami "
                    "ucapkan terima kasih.", requested, "Ibu " + self.person(rng),
                    "Ibu " + self.person(rng), "Ibu " + self.person(rng),
                    rng.choice((6, 12)), comment, approved, disbursed,
                    "Dana sudah dipakai sesuai RAB." if "reported" in stamps else "",
                    hex_token(rng), producer, moments[0], moments[-1], stamps.get("submitted"),
                    stamps.get("endorsed"), stamps.get("sent"),
                    stamps.get("approved") or stamps.get("rejected"), stamps.get("disbursed"),
                    stamps.get("reported")))
            for key in CHECKLIST_KEYS:
                not_needed = (key == "halal" and self.g_kind[gid] != "food") or \
                    (key == "npwp" and requested <= 50_000_000)
                cw.add((self.next_id("proposal_checklist_items"), proposal, key,
                        rng.random() < 0.7 and not not_needed, not_needed, ""))
            if gid == 1 and status == "sent":
                self.top_proposal = proposal

    # -- letter numbers ---------------------------------------------------------------------

    def documents(self) -> None:
        """Letter numbers in issue order, per village, kind and year, and the counters."""
        from crm.documents.numbering import format_number

        w = self.w("issued_documents", ["id", "village_id", "kind", "number", "seq", "year",
                                        "subject", "subject_id", "group_id", "issued_by_id",
                                        "issued_at"])
        cw = self.w("document_counters", ["id", "village_id", "kind", "year", "last"])
        self.docs.sort(key=lambda d: (d[2], d[0], d[1], d[4], d[5] or 0))
        counters: dict[tuple, int] = {}
        seen = set()
        n = 0
        for village, kind, at, subject, subject_id, group, by in self.docs:
            key = (kind, subject, subject_id, group)
            if key in seen:
                continue
            seen.add(key)
            day = day_of(local_day(at))
            counter = (village, kind, day.year)
            seq = counters[counter] = counters.get(counter, 0) + 1
            n += 1
            w.add((n, village, kind, format_number(seq, kind, self.v_letter[village], day), seq,
                   day.year, subject, subject_id, group, by, at))
        for k, (village, kind, year) in enumerate(sorted(counters), start=1):
            cw.add((k, village, kind, year, counters[(village, kind, year)]))
        self.docs = []

    # -- ceilings, calendar tokens, photos ----------------------------------------------------

    def ceilings_tokens_photos(self) -> None:
        """Spending ceilings per village and year, calendar feed tokens (some revoked)
        and product photo records."""
        rng = random.Random(f"{self.seed}-misc")
        cw = self.w("spending_ceilings", ["id", "village_id", "year", "kind", "amount"])
        first_year, last_year = day_of(self.start).year, day_of(self.today).year + 1
        for vid in self.v_ids:
            for year in range(first_year, last_year + 1):
                cw.add((self.next_id("spending_ceilings"), vid, year, "snack",
                        round_to(rng.uniform(15_000, 25_000), 500)))
                cw.add((self.next_id("spending_ceilings"), vid, year, "meal",
                        round_to(rng.uniform(35_000, 60_000), 1_000)))
        tw = self.w("calendar_tokens", ["id", "user_id", "token_hash", "created_at",
                                        "revoked_at"])
        self.feed_tokens = {}
        wanted = []
        for officers in self.v_officers.values():
            wanted += [(u, 0.6) for u in officers[:1]]
        wanted += [(u, 0.25) for members in self.g_producers.values() for u in members]
        wanted += [(u, 0.4) for u in self.pa_contact.values()]
        must = {self.manifest_users["officer"], self.manifest_users["producer"],
                self.manifest_users["partner"]}
        for uid, chance in wanted:
            keep = uid in must
            if not keep and rng.random() >= chance:
                continue
            if rng.random() < 0.2:
                old = "".join(rng.choices(TOKEN_ALPHABET, k=43))
                made = self.now - rng.randint(200, 400) * DAY
                tw.add((self.next_id("calendar_tokens"), uid,
                        hashlib.sha256(old.encode()).hexdigest(), made,
                        made + rng.randint(10, 150) * DAY))
            plain = "".join(rng.choices(TOKEN_ALPHABET, k=43))
            tw.add((self.next_id("calendar_tokens"), uid,
                    hashlib.sha256(plain.encode()).hexdigest(),
                    self.now - rng.randint(1, 190) * DAY, None))
            if keep:
                self.feed_tokens[uid] = plain
        fw = self.w("product_photos", ["id", "product_id", "filename", "position",
                                       "created_at"])
        for p in self.p_ids:
            if self.p_active[p] and rng.random() < 0.5:
                for position in range(rng.randint(1, 3)):
                    fw.add((self.next_id("product_photos"), p, f"{rng.getrandbits(128):032x}.jpg",
                            position, self.p_row[p][21] + DAY))

    # -- the manifest ------------------------------------------------------------------------

    def choose_manifest_records(self) -> None:
        """Pick the logins and records the benchmark opens (before tokens are made)."""
        top = self.top_group
        sellers = [uid for (gid, uid) in self.recent_orders if gid == top]
        busiest = max(self.r_orders, key=lambda u: (self.r_orders[u], -u))
        if busiest not in sellers:  # keep every record visible to every login
            busiest = max(sellers, key=lambda u: (self.r_orders[u], -u))
        self.manifest_users = {
            "officer": self.officer_of_village[self.top_village],
            "officer_many": self.officer_many,
            "producer": self.g_producers[top][0],
            "reseller": busiest,
            "partner": self.pa_contact[self.top_partner],
        }
        self.manifest_booking = (self.best_booking or self.paid_booking or self.any_booking
                                 or (None, None))
        self.manifest_order = self.recent_orders[(top, busiest)][0]

    def manifest(self, size: str, scale: float, dialect: str, seconds: float,
                 table_counts: dict) -> dict:
        """The manifest of this run (see the shared format in the README)."""
        users = self.manifest_users
        reseller = users["reseller"]
        top = self.top_group
        product = max(self.g_products[top], key=lambda p: (self.p_orders.get(p, 0), -p))
        booking, event = self.manifest_booking
        return {
            "size": size, "scale": scale, "seed": self.seed, "today": day_text(self.today),
            "database": dialect, "load_seconds": seconds,
            "counts": table_counts,
            "password": PASSWORD,
            "logins": {
                "officer": self.officer_login[users["officer"]],
                "officer_many": "kabupaten",
                "producer": self.producer_login[users["producer"]],
                "reseller": self.r_login[reseller],
                "partner": self.contact_login[users["partner"]],
            },
            "ids": {
                "village": self.top_village, "group": top, "product": product,
                "reseller_profile": self.r_profile[reseller],
                "reseller_link": self.r_link[reseller], "order": self.manifest_order,
                "event": event, "booking": booking, "booking_group": top,
                "partnership": self.top_partnership, "partner": self.top_partner,
                "outlet": self.top_outlet, "visit": self.top_visit,
                "proposal": self.top_proposal, "statement_group": top,
                "statement_reseller": reseller,
            },
            "feeds": {role: self.feed_tokens[users[role]]
                      for role in ("officer", "producer", "partner")},
            "month": day_text(self.today)[:7],
        }


# --- the public entry point ------------------------------------------------------------------


def generate(database_url: str, size: str = "village", scale: float = 1.0, seed: int = 2026,
             today: date = DEFAULT_TODAY, recreate: bool = False,
             verbose: bool = False) -> dict:
    """Build the schema with the migrations, load generated data of ``size`` × ``scale``
    into ``database_url`` and return the manifest (see the module notes)."""
    from flask_migrate import upgrade

    from crm import create_app
    from crm.auth.passwords import password_hasher
    from crm.config import normalise_database_url
    from crm.extensions import db

    started = time.perf_counter()
    counts = size_counts(size, scale)
    url = normalise_database_url(database_url)
    prepare_database(url, recreate)
    app = create_app({"CRM_ENV": "testing", "TESTING": True, "SECRET_KEY": "b" * 8 + "x" * 40,
                      "SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {}})
    with app.app_context():
        if verbose:
            upgrade()
        else:
            with quiet():
                upgrade()
        # The app's own hasher and settings; the salt comes from the seed, so the same
        # seed gives the same rows (every user shares this one hash).
        salt = hashlib.sha256(f"{seed}-password".encode()).digest()[:16]
        password_hash = password_hasher().hash(PASSWORD, salt=salt)
        metadata = db.metadata
        db.engine.dispose()
    if verbose:
        print(f"  schema ready in {time.perf_counter() - started:.1f}s", flush=True)
    loader = Loader(url, metadata, verbose=verbose)
    loader.open()
    try:
        builder = Builder(loader, counts, seed, today, password_hash, verbose)
        builder.run()
        loader.finish()
    finally:
        loader.close()
    with app.app_context():
        derived = rebuild_derived(db)
        table_counts = count_tables(db)
        db.engine.dispose()
    if verbose:
        print(f"  rebuilt by the app: {', '.join(derived) or 'nothing'}", flush=True)
        missing = sorted(name for name in metadata.tables if not table_counts.get(name)
                         and name not in loader.writers and name not in derived)
        if missing:
            print(f"  warning: tables left empty: {', '.join(missing)}", flush=True)
    seconds = round(time.perf_counter() - started, 1)
    manifest = builder.manifest(size, scale, loader.dialect, seconds, table_counts)
    if verbose:
        print(f"  loaded in {seconds:.1f}s", flush=True)
    return manifest


def derived_rebuilders() -> list:
    """The app's ``rebuild()`` functions: a module of ``crm`` that keeps a table from
    other records (running totals, monthly summaries …) offers a module-level
    ``rebuild()`` that computes it from the records, for bulk loads like this one."""
    import importlib
    import pkgutil

    import crm

    found = []
    for info in sorted(pkgutil.walk_packages(crm.__path__, "crm."), key=lambda i: i.name):
        module = importlib.import_module(info.name)
        function = getattr(module, "rebuild", None)
        if callable(function) and getattr(function, "__module__", None) == module.__name__:
            found.append(function)
    return found


def rebuild_derived(db) -> list[str]:
    """Fill the app's derived tables with its own rebuild functions; returns the
    tables that received rows."""
    from sqlalchemy import text

    before = count_tables(db)
    for function in derived_rebuilders():
        function()
        db.session.commit()
    after = count_tables(db)
    filled = [name for name in after if after[name] != before.get(name)]
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            for name in filled:
                conn.execute(text(f'ANALYZE "{name}"'))
            conn.commit()
    return filled


def count_tables(db) -> dict[str, int]:
    """Rows in every table of the database (the migrations' bookkeeping aside)."""
    from sqlalchemy import inspect, text

    names = sorted(set(inspect(db.engine).get_table_names()) - {"alembic_version"})
    counts = {}
    with db.engine.connect() as conn:
        for name in names:
            query = f'SELECT COUNT(*) FROM "{name}"'  # noqa: S608  (names from the catalog)
            counts[name] = int(conn.execute(text(query)).scalar())
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate",
                                     description="Generate and load benchmark data.")
    parser.add_argument("--size", choices=sorted(SIZES), default="village")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--today", type=date.fromisoformat, default=DEFAULT_TODAY)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--recreate", action="store_true",
                        help="drop and create the database (PostgreSQL: bench_* only) or "
                             "delete the SQLite file first")
    parser.add_argument("--manifest", help="where to write the manifest (default "
                                           "bench/out/manifest-<size>.json)")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    try:
        manifest = generate(args.database_url, size=args.size, scale=args.scale, seed=args.seed,
                            today=args.today, recreate=args.recreate, verbose=not args.quiet)
    except LoadError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    path = Path(args.manifest or Path(__file__).parent / "out" / f"manifest-{args.size}.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    if not args.quiet:
        print(f"manifest: {path}")
        print(json.dumps({k: manifest[k] for k in ("logins", "ids")}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The four kinds of list a village imports, and their columns.

Column headings are the file format: they stay in Indonesian whatever the page's
language, and a file is read by its headings (in any order, case and spacing
aside). XLSX templates carry a mark (the workbook name :data:`MARK_NAME` holding
``"<kind>/<version>"``), so that a template of another kind or an old version is
refused with a clear message."""

import re
from dataclasses import dataclass

from crm.web.i18n import lazy_gettext as _l

MARK_NAME = "MRSE_TEMPLAT"
VERSION = 1


@dataclass(frozen=True)
class Column:
    """One column of a kind's file: the field it fills, its heading, whether every
    row needs it, what to write in it (for the instructions sheet) and an example."""

    field: str
    heading: str
    required: bool
    help: str
    example: str = ""


@dataclass(frozen=True)
class Kind:
    """A kind of list: its code (in URLs and the template mark), its name, its
    columns and example rows for the template."""

    code: str
    title: str
    columns: tuple[Column, ...]
    examples: tuple[tuple[str, ...], ...]

    @property
    def headings(self) -> list[str]:
        return [column.heading for column in self.columns]

    @property
    def mark(self) -> str:
        return f"{self.code}/{VERSION}"

    def column(self, field: str) -> Column:
        return next(column for column in self.columns if column.field == field)


def fold(heading: str) -> str:
    """A heading as compared: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", (heading or "").lower())


_YES_NO = _l("Ya atau Tidak; kosong berarti Tidak (untuk data baru).")
_PHONE = _l("Nomor HP/WhatsApp, mis. 0812-3456-7890. Format kolom ini sebagai Teks "
            "agar Excel tidak mengubahnya menjadi 6,28123E+12.")
_MONEY = _l("Rupiah tanpa desimal: 1.250.000, Rp1.250.000,00 atau 1250000.")
_DATE = _l("Tanggal: 25/12/2026 (hari/bulan/tahun) atau sel tanggal Excel.")
_GROUP = _l("Nama kelompok seperti tertulis di aplikasi (besar kecil huruf tidak "
            "berpengaruh). Kelompoknya harus sudah ada.")

GROUPS = Kind(
    code="kelompok",
    title=_l("Kelompok produsen dan anggotanya"),
    columns=(
        Column("group_name", "Nama Kelompok", True,
               _l("Satu baris per anggota; data kelompok diulang atau cukup di baris "
                  "pertama kelompok itu."), "Ladu Ketan RW 09"),
        Column("kind", "Jenis Usaha", False,
               _l("makanan, kerajinan atau lainnya (kosong: makanan)."), "makanan"),
        Column("dusun", "Dusun", False, _l("Nama dusun."), "Dusun 2"),
        Column("rw", "RW", False, _l("Angka, paling banyak 3 angka."), "09"),
        Column("rt", "RT", False, _l("Angka, paling banyak 3 angka."), "02"),
        Column("address", "Alamat Kelompok", False, _l("Alamat tempat produksi."),
               "Jl. Katapang No. 5"),
        Column("chair_name", "Ketua Kelompok", False, _l("Nama ketua."), "Ibu Euis"),
        Column("phone", "HP Kelompok", False, _PHONE, "0812-0000-0201"),
        Column("since_year", "Tahun Berdiri", False, _l("Tahun, mis. 1999."), "1999"),
        Column("halal_number", "No. Sertifikat Halal", False, _l("Boleh kosong."), ""),
        Column("halal_expires_on", "Halal Berlaku Sampai", False, _DATE, "25/12/2027"),
        Column("baseline_monthly_turnover", "Omzet per Bulan Sebelum MRSE", False, _MONEY,
               "15.000.000"),
        Column("member_name", "Nama Anggota", True, _l("Nama lengkap anggota."),
               "Euis Kurniasih"),
        Column("member_phone", "HP Anggota", True,
               _l("Nomor HP anggota: dipakai untuk masuk dan untuk mengenali anggota "
                  "yang sudah ada. Format kolom ini sebagai Teks agar Excel tidak "
                  "mengubahnya menjadi 6,28123E+12."), "0812-3456-7890"),
    ),
    examples=(
        ("Ladu Ketan RW 09", "makanan", "Dusun 2", "09", "02", "Jl. Katapang No. 5",
         "Ibu Euis", "0812-0000-0201", "1999", "", "25/12/2027", "15.000.000",
         "Euis Kurniasih", "0812-3456-7890"),
        ("Ladu Ketan RW 09", "", "", "", "", "", "", "", "", "", "", "", "Siti Aminah",
         "0813-2222-3333"),
    ),
)

RESELLERS = Kind(
    code="reseller",
    title=_l("Reseller"),
    columns=(
        Column("name", "Nama", True, _l("Nama lengkap reseller."), "Kiki Aulia"),
        Column("phone", "HP", True,
               _l("Nomor HP reseller: dipakai untuk masuk dan untuk mengenali reseller "
                  "yang sudah ada. Format kolom ini sebagai Teks agar Excel tidak "
                  "mengubahnya menjadi 6,28123E+12."), "0857-1111-2222"),
        Column("karang_taruna", "Karang Taruna", False, _YES_NO, "Ya"),
        Column("stage_since", "Tanggal Mulai", False, _DATE, "01/11/2026"),
    ),
    examples=(("Kiki Aulia", "0857-1111-2222", "Ya", "01/11/2026"),
              ("Gilang Eka", "0857-3333-4444", "Tidak", "")),
)

PRODUCTS = Kind(
    code="produk",
    title=_l("Produk, harga dan stok"),
    columns=(
        Column("group_name", "Nama Kelompok", True, _GROUP, "Ladu Ketan RW 09"),
        Column("name", "Nama Produk", True, _l("Nama produk di katalog."),
               "Ladu Ketan Original"),
        Column("sku", "SKU", False,
               _l("Kode produk; kosong: dibuat aplikasi. Produk yang sudah ada dikenali "
                  "dari SKU, atau dari kelompok dan nama produknya."), ""),
        Column("category", "Kategori", False,
               _l("makanan, minuman, kue, kerajinan, fashion atau lainnya "
                  "(kosong: makanan)."), "makanan"),
        Column("unit", "Satuan", False,
               _l("pcs, pak, kotak, lusin, kg, gram atau paket (kosong: pcs)."), "pak"),
        Column("weight_grams", "Berat (gram)", False, _l("Berat per satuan, untuk ongkir."),
               "250"),
        Column("cost_price", "Modal (HPP)", False, _MONEY, "8.000"),
        Column("reseller_price", "Harga Reseller", True, _MONEY, "12.000"),
        Column("retail_price", "Harga Konsumen", True, _MONEY, "Rp15.000"),
        Column("dropship_price", "Harga Dropship", False, _MONEY, ""),
        Column("shelf_life_days", "Tahan (hari)", False, _l("Berapa hari produk tahan."),
               "14"),
        Column("made_to_order", "Dibuat Saat Dipesan", False,
               _l("Ya untuk produk pesanan tanpa stok (isi Kapasitas per Hari); "
                  "kosong: Tidak."), "Tidak"),
        Column("daily_capacity", "Kapasitas per Hari", False,
               _l("Untuk produk pesanan: berapa satuan bisa dibuat sehari."), ""),
        Column("stock", "Stok", False,
               _l("Jumlah di tangan sekarang (hasil hitung). Produk yang sudah ada: "
                  "selisihnya dicatat sebagai penyesuaian stok."), "40"),
        Column("description", "Deskripsi", False, _l("Rasa, bahan, ukuran, cara simpan."),
               "Ladu ketan manis, tahan 2 minggu."),
    ),
    examples=(
        ("Ladu Ketan RW 09", "Ladu Ketan Original", "", "makanan", "pak", "250", "8.000",
         "12.000", "Rp15.000", "", "14", "Tidak", "", "40", "Ladu ketan manis."),
        ("Ladu Ketan RW 09", "Nasi Kotak", "", "makanan", "kotak", "600", "15.000",
         "20.000", "25.000", "", "1", "Ya", "100", "", ""),
    ),
)

OUTLETS = Kind(
    code="warung",
    title=_l("Warung dan lapak titip jual"),
    columns=(
        Column("group_name", "Nama Kelompok", True,
               _l("Kelompok yang menitipkan barang, seperti tertulis di aplikasi. "
                  "Kelompoknya harus sudah ada."), "Ladu Ketan RW 09"),
        Column("name", "Nama Warung", True,
               _l("Nama warung, lapak atau kios; dikenali dari nama ini (atau nomor HP-nya) "
                  "di kelompok yang sama."), "Warung Bu Imas"),
        Column("kind", "Jenis Tempat", False,
               _l("warung, pasar, kios, toko atau lainnya (kosong: warung)."), "warung"),
        Column("owner_name", "Pemilik", False, _l("Nama pemilik atau penjaga."), "Imas"),
        Column("phone", "HP", False, _PHONE, "0812-7777-8888"),
        Column("outlet_village", "Desa/Kelurahan", False,
               _l("Desa tempat warung berada, bila di luar desa ini."), ""),
        Column("address", "Alamat", False, _l("Alamat atau patokan."), "Depan SDN 2"),
        Column("notes", "Catatan", False, _l("Boleh kosong."), ""),
    ),
    examples=(("Ladu Ketan RW 09", "Warung Bu Imas", "warung", "Imas", "0812-7777-8888",
               "", "Depan SDN 2", ""),
              ("Ladu Ketan RW 09", "Lapak Pasar Katapang", "pasar", "Ujang", "", "", "",
               "Hari pasar Senin")),
)

KINDS = {kind.code: kind for kind in (GROUPS, RESELLERS, PRODUCTS, OUTLETS)}


def kind_of_headings(headings: list[str]) -> Kind | None:
    """The kind whose required headings are all in ``headings`` (the most columns
    found wins), or None."""
    folded = {fold(heading) for heading in headings}
    fitting = [kind for kind in KINDS.values()
               if all(fold(c.heading) in folded for c in kind.columns if c.required)]
    if not fitting:
        return None
    return max(fitting, key=lambda kind: sum(fold(c.heading) in folded
                                             for c in kind.columns))

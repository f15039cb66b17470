"""What bad input gets: a clear message at its row (or for the whole file), and
nothing saved from it."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from crm.auth.models import Role, User
from crm.catalog.models import ProducerGroup, Product
from crm.extensions import db
from crm.imports.models import SheetImport
from tests.helpers import count, text_of
from tests.imports.files import (
    csv_bytes,
    member,
    previewed,
    save,
    upload,
    xlsx,
)


def refused(browser, world, kind, data, name="data.xlsx") -> str:
    """Upload a file that must be refused as a whole; its message. Nothing is kept."""
    response = upload(browser, world["a"], kind, data, name)
    assert response.status_code == 200, response.status_code
    assert count(SheetImport) == 0
    return text_of(response)


def product(**more) -> dict:
    return {"Nama Kelompok": "Ladu Ketan RW 09", "Nama Produk": "Ladu Original",
            "Harga Reseller": "12.000", "Harga Konsumen": "15.000", **more}


@pytest.mark.parametrize(("data", "name", "said"), [
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "foto.png", "Unggah berkas XLSX atau CSV"),
    (b"%PDF-1.4 hello", "data.csv", "bukan spreadsheet"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 50, "lama.csv", "simpan sebagai .xlsx"),
    (b"PK\x03\x04 not really a zip", "data.xlsx", "rusak"),
    (b"", "data.csv", "kosong"),
])
def test_a_file_that_is_no_spreadsheet_is_refused(officer, world, data, name, said):
    assert said in refused(officer, world, "kelompok", data, name)


def test_a_template_of_another_kind_or_version_is_refused(officer, world):
    text = refused(officer, world, "kelompok", xlsx("produk", [product()]))
    assert "Ini templat Produk, harga dan stok, bukan templat Kelompok produsen" in text
    text = refused(officer, world, "kelompok", xlsx("kelompok", [member(1)], mark="kelompok/0"))
    assert "Templat ini versi lain (kelompok/0)" in text
    # Without a mark (CSV), the headings tell the kind.
    text = refused(officer, world, "reseller", csv_bytes("produk", [product()]), "p.csv")
    assert "Berkas ini berisi Produk, harga dan stok, bukan Reseller" in text
    text = refused(officer, world, "reseller", b"Nama,Karang Taruna\nBudi,Ya\n", "r.csv")
    assert "Kolom wajib tidak ditemukan: HP." in text
    text = refused(officer, world, "reseller", b"a,b\n1,2\n", "r.csv")
    assert "Baris judul kolom tidak ditemukan" in text
    text = refused(officer, world, "reseller", b"Judul\nNama,Karang Taruna,Tanggal Mulai\n"
                   b"Budi,Ya,\n", "r.csv")
    assert "Kolom wajib tidak ditemukan: HP." in text


def test_merged_cells_and_formulas_are_refused_naming_the_cells(officer, world):
    rows = [member(1), member(2)]
    text = refused(officer, world, "kelompok", xlsx("kelompok", rows, merge="A2:A3"))
    assert "Sel A2:A3 digabung (merge)" in text
    text = refused(officer, world, "kelompok", xlsx("kelompok", rows, cells={"M3": "=A2"}))
    assert "Baris 3, kolom M berisi rumus" in text


def test_money_in_the_ways_indonesian_sheets_write_it(officer, world):
    rows = [product(**{"Nama Produk": "A", "Harga Reseller": "1.250.000",
                       "Harga Konsumen": "Rp1.250.000,00"}),
            product(**{"Nama Produk": "B", "Harga Reseller": "", "Harga Konsumen": ""}),
            product(**{"Nama Produk": "C", "Harga Reseller": "12,5"}),
            product(**{"Nama Produk": "D", "Harga Konsumen": "1,250,000"}),
            product(**{"Nama Produk": "E", "Harga Reseller": "20.000"})]
    data = xlsx("produk", rows, cells={"H3": 1250000, "I3": 1500000.0})
    page = previewed(officer, world["a"], "produk", data, "p.xlsx")
    text = text_of(page)
    assert "Baris 4, kolom Harga Reseller: rupiah tanpa sen" in text
    assert "Baris 5, kolom Harga Konsumen: tulis ribuan dengan titik: 1.250.000" in text
    assert ("Baris 6, kolom Harga Reseller: Harga reseller tidak boleh lebih tinggi dari "
            "harga jual konsumen.") in text
    save(officer, page)
    prices = {p.name: (p.reseller_price, p.retail_price)
              for p in db.session.scalars(select(Product))}
    assert prices == {"A": (1_250_000, 1_250_000), "B": (1_250_000, 1_500_000)}


def test_dates_typed_and_as_excel_keeps_them(officer, world):
    rows = [member(1, "Satu"), member(2, "Dua"), member(3, "Tiga"), member(4, "Empat")]
    cells = {"K2": "25/12/2026", "K3": 46381, "K4": datetime(2026, 12, 25), "K5": "31/02/2026"}
    page = previewed(officer, world["a"], "kelompok", xlsx("kelompok", rows, cells=cells),
                     "a.xlsx")
    assert ("Baris 5, kolom Halal Berlaku Sampai: tanggal \"31/02/2026\" tidak dikenali"
            in text_of(page))
    save(officer, page)
    days = {g.name: g.halal_expires_on for g in db.session.scalars(select(ProducerGroup))}
    assert days["Satu"] == days["Dua"] == days["Tiga"] == date(2026, 12, 25)
    assert "Empat" not in days


def test_a_phone_in_scientific_notation_is_refused_a_whole_number_is_fine(officer, world):
    rows = [member(1), member(2), member(3), member(4)]
    rows[0]["HP Anggota"] = "6,28123E+12"
    rows[1]["HP Anggota"] = "6.28123E+12"
    data = xlsx("kelompok", rows, cells={"N4": 6281234567890, "N5": 6281234567891.0})
    page = previewed(officer, world["a"], "kelompok", data, "a.xlsx")
    text = text_of(page)
    for row in (2, 3):
        assert (f"Baris {row}, kolom HP Anggota: nomor \"6") in text
    assert text.count("Format kolom ini sebagai Teks") == 2
    save(officer, page)
    phones = set(db.session.scalars(select(User.phone).where(User.role == Role.PRODUCER)))
    assert phones == {"6281234567890", "6281234567891"}


def test_a_phone_in_scientific_notation_in_a_csv(officer, world):
    rows = [member(1), member(2)]
    rows[0]["HP Anggota"] = "6,28123E+12"
    page = previewed(officer, world["a"], "kelompok", csv_bytes("kelompok", rows, ";"),
                     "a.csv")
    assert "Baris 2, kolom HP Anggota: nomor \"6,28123E+12\" ditulis Excel sebagai " \
           "angka ilmiah" in text_of(page)


def test_a_row_twice_in_one_file_is_an_error_on_the_second(officer, world):
    rows = [member(1), member(2), member(1, **{"Nama Anggota": "Lagi"}), member(3)]
    page = previewed(officer, world["a"], "kelompok", xlsx("kelompok", rows), "a.xlsx")
    assert ("Baris 4, kolom HP Anggota: sama dengan baris 2 di berkas ini."
            in text_of(page))
    save(officer, page)
    names = set(db.session.scalars(select(User.full_name).where(User.role == Role.PRODUCER)))
    assert names == {"Anggota 1", "Anggota 2", "Anggota 3"}


def test_required_cells_and_choices(officer, world):
    rows = [member(1, **{"Nama Anggota": ""}), member(2, **{"Jenis Usaha": "sembako"}),
            member(3, **{"RW": "0009"}), member(4, "")]
    page = previewed(officer, world["a"], "kelompok", xlsx("kelompok", rows), "a.xlsx")
    text = text_of(page)
    assert "Baris 2, kolom Nama Anggota: wajib diisi." in text
    assert "Baris 3, kolom Jenis Usaha: pilih salah satu" in text
    assert "Baris 4, kolom RW: diisi angka saja" in text
    assert "Baris 5, kolom Nama Kelompok: wajib diisi." in text
    assert "Tidak ada yang perlu disimpan" in text
    assert count(User, User.role == Role.PRODUCER) == 0

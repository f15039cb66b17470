"""Importing resellers, products (prices, stock, made to order) and warung: new,
already there, changed."""

from datetime import date

from sqlalchemy import select

from crm.auth.models import Role, User
from crm.catalog.models import Product, StockMovement
from crm.consignment.models import Outlet
from crm.extensions import db
from crm.resellers.models import ResellerProfile
from tests import factories
from tests.helpers import count, text_of
from tests.imports.files import csv_bytes, phone, preview_counts, previewed, save, stored, xlsx


def reseller(n: int, **more) -> dict:
    return {"Nama": f"Reseller {n}", "HP": phone(n), **more}


def test_resellers_new_then_the_same_then_changed(officer, world):
    rows = [reseller(1, **{"Karang Taruna": "Ya", "Tanggal Mulai": "01/11/2026"}),
            reseller(2), reseller(3, **{"Karang Taruna": "mungkin"})]
    page = previewed(officer, world["a"], "reseller", xlsx("reseller", rows), "r.xlsx")
    assert preview_counts(page) == {"baru": 2, "diubah": 0, "sama": 0, "salah": 1}
    assert "Baris 4, kolom Karang Taruna: isi Ya atau Tidak" in text_of(page)
    saved = save(officer, page)
    assert saved.get_data(as_text=True).count("Kirim lewat WhatsApp") == 2
    first = db.session.scalars(select(User).where(User.phone == stored(phone(1)))).one()
    profile = db.session.scalars(select(ResellerProfile).where(
        ResellerProfile.user_id == first.id)).one()
    assert first.role == Role.RESELLER and first.village_id == world["a"].id
    assert (profile.karang_taruna, profile.stage_since) == (True, date(2026, 11, 1))
    assert first.first_sign_in_hash is not None

    rows[2]["Karang Taruna"] = "Tidak"
    rows[1]["Karang Taruna"] = "Ya"
    page = previewed(officer, world["a"], "reseller", csv_bytes("reseller", rows), "r.csv")
    assert preview_counts(page) == {"baru": 1, "diubah": 1, "sama": 1, "salah": 0}
    assert "Karang Taruna: Tidak → Ya" in text_of(page)
    save(officer, page)
    assert count(User, User.role == Role.RESELLER) == 3


def product(name: str, **more) -> dict:
    return {"Nama Kelompok": "ladu ketan rw 09", "Nama Produk": name, "Kategori": "kue",
            "Satuan": "pak", "Harga Reseller": "12.000", "Harga Konsumen": "15.000",
            "Modal (HPP)": "8.000", "Stok": "40", **more}


def test_products_with_prices_and_stock(officer, world):
    rows = [product("Ladu Original"), product("Nasi Kotak", **{
                "Dibuat Saat Dipesan": "Ya", "Kapasitas per Hari": "100", "Stok": ""}),
            product("Ladu Pandan", SKU="LADU-PDN"),
            product("Roti", **{"Nama Kelompok": "Kelompok Entah"}),
            product("Kue Pesanan", **{"Dibuat Saat Dipesan": "Ya"})]
    page = previewed(officer, world["a"], "produk", xlsx("produk", rows), "p.xlsx")
    text = text_of(page)
    assert preview_counts(page) == {"baru": 3, "diubah": 0, "sama": 0, "salah": 2}
    assert "Baris 5, kolom Nama Kelompok: kelompok \"Kelompok Entah\" belum ada" in text
    assert "Baris 6, kolom Kapasitas per Hari: produk pesanan" in text
    assert "Baris 6, kolom Stok: produk pesanan tidak punya stok" in text
    save(officer, page)
    products = {p.name: p for p in db.session.scalars(select(Product))}
    assert set(products) == {"Ladu Original", "Nasi Kotak", "Ladu Pandan"}
    assert products["Ladu Original"].stock == 40 and products["Ladu Original"].unit == "pak"
    assert products["Nasi Kotak"].made_to_order and products["Nasi Kotak"].daily_capacity == 100
    assert products["Ladu Pandan"].sku == "LADU-PDN"
    assert count(StockMovement, StockMovement.kind == "production") == 2

    # The same file adds nothing; a corrected one changes price and stock (by the SKU
    # or by group and name) through the stock ledger.
    again = previewed(officer, world["a"], "produk", xlsx("produk", rows[:3]), "p.xlsx")
    assert preview_counts(again) == {"baru": 0, "diubah": 0, "sama": 3, "salah": 0}
    rows[0].update({"Harga Konsumen": "16.000", "Stok": "35"})
    rows[2].update({"Nama Produk": "Ladu Pandan Wangi"})
    fixed = previewed(officer, world["a"], "produk", xlsx("produk", rows[:3]), "p.xlsx")
    text = text_of(fixed)
    assert preview_counts(fixed) == {"baru": 0, "diubah": 2, "sama": 1, "salah": 0}
    assert "Harga Konsumen: Rp 15.000 → Rp 16.000" in text and "Stok: 40 → 35" in text
    assert "Nama Produk: Ladu Pandan → Ladu Pandan Wangi" in text
    save(officer, fixed)
    db.session.expire_all()
    original = db.session.get(Product, products["Ladu Original"].id)
    assert (original.retail_price, original.stock) == (16_000, 35)
    assert db.session.get(Product, products["Ladu Pandan"].id).name == "Ladu Pandan Wangi"
    adjustment = db.session.scalars(select(StockMovement).where(
        StockMovement.kind == "adjustment")).one()
    assert (adjustment.quantity, adjustment.balance_after) == (-5, 35)


def test_a_sku_of_another_village_is_refused(officer, world):
    other_group = factories.group(world["b"], "Kelompok Tetangga")
    theirs = factories.product(other_group, "Produk Tetangga")
    page = previewed(officer, world["a"], "produk",
                     xlsx("produk", [product("Punya Kami", SKU=theirs.sku)]), "p.xlsx")
    text = text_of(page)
    assert "Baris 2, kolom SKU: SKU ini sudah dipakai produk lain." in text
    assert "Tetangga" not in text


def test_warung_new_same_and_found_by_phone(officer, world):
    rows = [{"Nama Kelompok": "Ladu Ketan RW 09", "Nama Warung": "Warung Bu Imas",
             "Jenis Tempat": "warung", "HP": phone(50)},
            {"Nama Kelompok": "Ladu Ketan RW 09", "Nama Warung": "Lapak Pasar",
             "Jenis Tempat": "lapak"},
            {"Nama Kelompok": "Ladu Ketan RW 09", "Nama Warung": "Kios X", "Jenis Tempat": "mall"}]
    page = previewed(officer, world["a"], "warung", xlsx("warung", rows), "w.xlsx")
    assert preview_counts(page) == {"baru": 2, "diubah": 0, "sama": 0, "salah": 1}
    save(officer, page)
    assert {o.name: o.kind for o in db.session.scalars(select(Outlet))} == {
        "Warung Bu Imas": "warung", "Lapak Pasar": "pasar"}
    rows[0]["Nama Warung"] = "Warung Imas"  # renamed: still known by its phone
    page = previewed(officer, world["a"], "warung", csv_bytes("warung", rows[:2]), "w.csv")
    assert preview_counts(page) == {"baru": 0, "diubah": 1, "sama": 1, "salah": 0}
    assert "Nama Warung: Warung Bu Imas → Warung Imas" in text_of(page)
    save(officer, page)
    assert count(Outlet) == 2
    assert count(Outlet, Outlet.name == "Warung Imas") == 1

"""Importing producer groups and their members: the preview, the saving (accounts
without a password, with first sign-in links), importing again, a corrected file."""

import pytest
from sqlalchemy import select

from crm.auth.models import Role, User
from crm.auth.passwords import NO_PASSWORD
from crm.catalog.models import ProducerGroup
from crm.extensions import db
from crm.imports.models import SheetImport
from tests import factories
from tests.helpers import count, text_of
from tests.imports.files import (
    csv_bytes,
    member,
    phone,
    preview_counts,
    previewed,
    save,
    stored,
    xlsx,
)

MAKERS = {"xlsx": xlsx, "csv": csv_bytes}


def twelve_members():
    rows = [member(n) for n in range(1, 13)]
    rows[4].update({"HP Anggota": phone(99), "Nama Anggota": "Euis Kurniasih"})  # known
    rows[8]["HP Anggota"] = "12345"  # row 10 of the file: no phone number
    return rows


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_twelve_members_preview_save_again_and_corrected(officer, world, fmt):
    factories.producer(world["a"], world["ladu"], username="euis", phone=stored(phone(99)),
                       full_name="Euis Kurniasih")
    make, name = MAKERS[fmt], f"anggota.{fmt}"
    page = previewed(officer, world["a"], "kelompok", make("kelompok", twelve_members()),
                     name)
    assert preview_counts(page) == {"baru": 10, "diubah": 0, "sama": 1, "salah": 1}
    assert "Baris 10, kolom HP Anggota: nomor HP \"12345\" tidak dikenali" in text_of(page)
    assert count(User, User.role == Role.PRODUCER) == 1  # nothing saved by the preview

    saved = save(officer, page)
    assert saved.status_code == 201, text_of(saved)
    new = db.session.scalars(select(User).where(User.role == Role.PRODUCER,
                                                User.username != "euis")).all()
    assert len(new) == 10
    assert {user.group_id for user in new} == {world["ladu"].id}
    assert all(user.password_hash == NO_PASSWORD for user in new)
    body = saved.get_data(as_text=True)
    assert body.count("https://wa.me/62812") == 10
    assert "anggota.1" in body and "anggota.12" in body  # user names from the names
    batch = db.session.scalars(select(SheetImport)).one()
    assert (batch.new_count, batch.updated_count, batch.error_count) == (10, 0, 1)
    assert batch.data is None and batch.saved_at is not None

    again = previewed(officer, world["a"], "kelompok", make("kelompok", twelve_members()),
                      name)
    assert preview_counts(again) == {"baru": 0, "diubah": 0, "sama": 11, "salah": 1}
    assert "Tidak ada yang perlu disimpan" in text_of(again)
    assert count(User, User.role == Role.PRODUCER) == 11

    corrected = twelve_members()
    corrected[2]["Nama Anggota"] = "Siti Aminah"
    fixed = previewed(officer, world["a"], "kelompok", make("kelompok", corrected), name)
    assert preview_counts(fixed) == {"baru": 0, "diubah": 1, "sama": 10, "salah": 1}
    assert "Nama Anggota: Anggota 3 → Siti Aminah" in text_of(fixed)
    assert save(officer, fixed).status_code == 201
    db.session.expire_all()
    assert count(User, User.role == Role.PRODUCER) == 11
    siti = db.session.scalars(select(User).where(User.phone == stored(phone(3)))).one()
    assert siti.full_name == "Siti Aminah" and siti.username == "anggota.3"
    assert count(ProducerGroup) == 1


def test_a_new_group_and_its_changes_come_from_the_file(officer, world):
    rows = [member(1, "Tas Rajut RW 09", **{"Jenis Usaha": "kerajinan", "RW": "09",
                                            "Ketua Kelompok": "Ibu Neneng",
                                            "Omzet per Bulan Sebelum MRSE": "Rp10.000.000,00",
                                            "Halal Berlaku Sampai": "25/12/2027"}),
            member(2, "tas rajut rw 09"),
            member(3, **{"Ketua Kelompok": "Ibu Siti"})]
    page = previewed(officer, world["a"], "kelompok", xlsx("kelompok", rows), "a.xlsx")
    assert preview_counts(page) == {"baru": 3, "diubah": 0, "sama": 0, "salah": 0}
    assert "Ketua Kelompok: Ibu Euis → Ibu Siti" in text_of(page)
    save(officer, page)
    rajut = db.session.scalars(select(ProducerGroup).where(
        ProducerGroup.name == "Tas Rajut RW 09")).one()
    assert (rajut.kind, rajut.rw, rajut.chair_name) == ("craft", "09", "Ibu Neneng")
    assert rajut.baseline_monthly_turnover == 10_000_000
    assert rajut.halal_expires_on.isoformat() == "2027-12-25"
    assert count(User, User.group_id == rajut.id) == 2
    db.session.refresh(world["ladu"])
    assert world["ladu"].chair_name == "Ibu Siti"


def test_group_columns_that_disagree_are_an_error_on_the_later_row(officer, world):
    rows = [member(1, **{"RW": "09"}), member(2, **{"RW": "10"})]
    page = previewed(officer, world["a"], "kelompok", xlsx("kelompok", rows), "a.xlsx")
    assert "Baris 3, kolom RW: berbeda dengan baris 2 untuk kelompok yang sama." in text_of(page)


def test_a_phone_of_another_village_is_refused_without_saying_whose(officer, world):
    factories.producer(world["b"], username="asing", phone=stored(phone(7)),
                       full_name="Rahasia Tetangga")
    factories.reseller(world["a"], username="kiki", phone=stored(phone(8)))
    rows = [member(1), member(7), member(8)]
    page = previewed(officer, world["a"], "kelompok", xlsx("kelompok", rows), "a.xlsx")
    text = text_of(page)
    assert "Baris 3, kolom HP Anggota: nomor HP ini sudah dipakai akun di luar desa ini" in text
    assert "Rahasia" not in text and "Sangkanhurip" not in text and "asing" not in text
    assert "Baris 4, kolom HP Anggota: nomor HP ini sudah dipakai akun Reseller" in text
    save(officer, page)
    assert count(User, User.role == Role.PRODUCER) == 2  # the stranger and member 1


def test_user_names_from_names_stay_unique(officer, world):
    factories.producer(world["a"], world["ladu"], username="siti.aminah")
    rows = [member(n, **{"Nama Anggota": "Siti Aminah"}) for n in range(1, 4)]
    rows.append(member(4, **{"Nama Anggota": "Élodie 'Nur' Ça"}))
    rows.append(member(5, **{"Nama Anggota": "99 Bu"}))
    save(officer, previewed(officer, world["a"], "kelompok", xlsx("kelompok", rows), "a.xlsx"))
    names = set(db.session.scalars(select(User.username).where(User.role == Role.PRODUCER)))
    assert names == {"siti.aminah", "siti.aminah2", "siti.aminah3", "siti.aminah4",
                     "elodie.nur", "u99.bu"}

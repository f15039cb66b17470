"""The import pages: templates, who may open what, the list of imports, the audit
entry, the saving as one transaction and only once, new first sign-in links."""

import io

import openpyxl
import pytest
from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.auth.models import Role, User
from crm.catalog.models import ProducerGroup
from crm.extensions import db
from crm.imports import saving as import_saving
from crm.imports.kinds import KINDS, MARK_NAME
from crm.imports.models import SheetImport
from crm.web.errors import RuleError
from tests import factories
from tests.helpers import Browser, count, csrf_token, text_of
from tests.imports.files import member, phone, previewed, save, stored, upload, xlsx


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_templates_open_with_their_instructions(officer, world, kind):
    response = officer.get(f"/impor/templat/{kind}.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Data", "Petunjuk"]
    assert [cell.value for cell in book["Data"][1]] == KINDS[kind].headings
    assert book.defined_names[MARK_NAME].attr_text == f'"{kind}/1"'
    help_text = " ".join(str(c.value) for row in book["Petunjuk"].iter_rows() for c in row
                         if c.value)
    assert "Petunjuk impor" in help_text and "wajib" in help_text
    csv_text = officer.get(f"/impor/templat/{kind}.csv").get_data(as_text=True)
    assert csv_text.lstrip("\ufeff").splitlines() == [",".join(KINDS[kind].headings)]
    # The template itself, filled with its own example rows, reads back.
    for example in KINDS[kind].examples:
        book["Data"].append(list(example))
    out = io.BytesIO()
    book.save(out)
    assert upload(officer, world["a"], kind, out.getvalue()).status_code == 302


def test_only_the_village_s_officers_reach_its_imports(app, officer, world):
    page = previewed(officer, world["a"], "kelompok", xlsx("kelompok", [member(1)]), "a.xlsx")
    url = page.request.path
    stranger = Browser(app.test_client())
    stranger.login("kesra2")
    token = csrf_token(stranger.get("/impor").get_data(as_text=True))
    assert stranger.get(f"/impor/desa/{world['a'].id}").status_code == 404
    assert stranger.client.post(f"/impor/desa/{world['a'].id}", data={
        "csrf_token": token, "kind": "kelompok",
        "file": (io.BytesIO(xlsx("kelompok", [member(2)])), "a.xlsx")},
        content_type="multipart/form-data").status_code == 404
    assert stranger.get(url).status_code == 404
    assert stranger.client.post(f"{url}/simpan", data={"csrf_token": token}).status_code == 404
    assert "a.xlsx" not in stranger.get("/impor").get_data(as_text=True)
    assert count(User, User.role == Role.PRODUCER) == 0
    producer = Browser(app.test_client())
    factories.producer(world["a"], world["ladu"], username="ladu")
    producer.login("ladu")
    assert producer.get(f"/impor/desa/{world['a'].id}").status_code == 403
    assert producer.get(url).status_code == 403


def test_the_list_and_the_audit_entry(officer, world):
    page = previewed(officer, world["a"], "kelompok",
                     xlsx("kelompok", [member(1), member(2, **{"HP Anggota": "x"})]),
                     "anggota desa.xlsx")
    listed = text_of(officer.get("/impor"))
    assert "anggota desa.xlsx" in listed and "belum disimpan" in listed
    save(officer, page)
    listed = text_of(officer.get("/impor"))
    assert "1 baru · 0 diubah · 1 salah" in listed and "Nama kesra" in listed
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "import")).one()
    assert entry.changes == {"kind": "kelompok", "file": "anggota desa.xlsx", "new": 1,
                             "updated": 0, "unchanged": 0, "errors": 1}
    assert entry.village_id == world["a"].id and entry.actor_id == world["kesra"].id


def test_saving_is_one_transaction(officer, world, monkeypatch):
    opened = []
    real = import_saving.open_imported_account

    def fail_on_the_third(*args, **kwargs):
        if len(opened) == 2:
            raise RuleError("Gagal di tengah jalan.")
        opened.append(real(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(import_saving, "open_imported_account", fail_on_the_third)
    page = previewed(officer, world["a"], "kelompok",
                     xlsx("kelompok", [member(n, "Kelompok Baru") for n in range(1, 5)]),
                     "a.xlsx")
    response = save(officer, page)
    assert response.status_code == 302
    assert "Gagal di tengah jalan." in text_of(officer.get(response.headers["Location"]))
    db.session.expire_all()
    assert len(opened) == 2
    assert count(User, User.role == Role.PRODUCER) == 0
    assert count(ProducerGroup, ProducerGroup.name == "Kelompok Baru") == 0
    assert count(AuditEntry, AuditEntry.entity == "import") == 0
    batch = db.session.scalars(select(SheetImport)).one()
    assert batch.saved_at is None and batch.data is not None
    monkeypatch.setattr(import_saving, "open_imported_account", real)
    assert save(officer, page).status_code == 201
    assert count(User, User.role == Role.PRODUCER) == 4


def test_saving_checks_again_and_saves_once(app, officer, world):
    page = previewed(officer, world["a"], "kelompok",
                     xlsx("kelompok", [member(1), member(2)]), "a.xlsx")
    # Meanwhile member 2's number became an account in another village.
    factories.reseller(world["b"], username="cepat", phone=stored(phone(2)))
    url = page.request.path
    token = csrf_token(page.get_data(as_text=True))
    assert officer.client.post(f"{url}/simpan", data={"csrf_token": token}).status_code == 201
    again = officer.client.post(f"{url}/simpan", data={"csrf_token": token})
    assert again.status_code == 302
    assert "sudah disimpan" in text_of(officer.get(again.headers["Location"]))
    assert count(User, User.role == Role.PRODUCER) == 1
    batch = db.session.scalars(select(SheetImport)).one()
    assert (batch.new_count, batch.error_count) == (1, 1)


def test_a_new_first_sign_in_link_for_an_imported_account(officer, world):
    page = previewed(officer, world["a"], "kelompok", xlsx("kelompok", [member(1)]), "a.xlsx")
    save(officer, page)
    user = db.session.scalars(select(User).where(User.role == Role.PRODUCER)).one()
    first_hash = user.first_sign_in_hash
    url = page.request.path
    shown = officer.get(url)
    assert "Buat tautan masuk baru" in text_of(shown)
    response = officer.submit(f"{url}/akun/{user.id}/tautan", page=url)
    assert response.status_code == 201
    assert "https://wa.me/62812" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.first_sign_in_hash not in (None, first_hash)
    other = factories.producer(world["a"], world["ladu"], username="lain")
    assert officer.submit(f"{url}/akun/{other.id}/tautan", page=url).status_code == 404

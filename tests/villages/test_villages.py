"""Villages: officers see and edit only their assigned villages; letterhead and logo."""

import io

import pytest
from PIL import Image

from crm.audit.models import AuditEntry
from tests import factories
from tests.helpers import reload, text_of


@pytest.fixture
def world(app):
    a = factories.village("Katapang", letter_code="KTP")
    b = factories.village("Sangkanhurip", letter_code="SKH")
    factories.officer(a, username="kesra")
    factories.officer(a, b, username="camat")
    factories.group(a, "Ladu Ketan RW 09")
    factories.group(b, "Opak Sangkanhurip")
    factories.reseller(b)
    return {"a": a, "b": b}


def png_bytes(size=(40, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (22, 101, 52)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_officer_lists_only_assigned_villages(browser, world):
    browser.login("kesra")
    page = text_of(browser.get("/desa/"))
    assert "Desa Katapang" in page and "Sangkanhurip" not in page


def test_other_village_answers_404_everywhere(browser, world):
    browser.login("kesra")
    b = world["b"].id
    assert browser.get(f"/desa/{b}").status_code == 404
    assert browser.get(f"/desa/{b}/kop").status_code == 404
    assert browser.get(f"/desa/{b}/logo").status_code == 404
    response = browser.submit(f"/desa/{b}/kop", {"institution_name": "Diretas",
                                                 "head_title": "X", "letter_code": "XX"},
                              page="/desa/")
    assert response.status_code == 404
    assert reload(world["b"]).institution_name != "Diretas"


def test_dashboard_counts_only_own_villages(browser, world):
    browser.login("kesra")
    page = text_of(browser.get("/beranda"))
    assert "1 kelompok usaha" in " ".join(page.split())
    assert "0 reseller aktif" in " ".join(page.split())
    browser.logout()
    browser.login("camat")
    page = " ".join(text_of(browser.get("/beranda")).split())
    assert "2 kelompok usaha" in page and "1 reseller aktif" in page


def test_officer_of_two_villages_sees_both(browser, world):
    browser.login("camat")
    assert browser.get(f"/desa/{world['b'].id}").status_code == 200


def test_non_officers_cannot_open_village_pages(browser, world):
    factories.reseller(world["a"], username="ka")
    browser.login("ka")
    assert browser.get("/desa/").status_code == 403
    assert browser.get(f"/desa/{world['a'].id}").status_code == 403


def letterhead(**overrides):
    data = {
        "institution_name": "Pemerintah Desa Katapang",
        "address": "Jl. Raya Katapang\nKabupaten Bandung",
        "phone": "022-5891234", "email": "desa@katapang.id",
        "head_name": "H. Asep", "head_title": "Kepala Desa", "letter_code": "ktp",
    }
    data.update(overrides)
    return data


def test_letterhead_is_saved_with_logo_and_audited(browser, world):
    browser.login("kesra")
    a = world["a"]
    data = letterhead(logo=(io.BytesIO(png_bytes((900, 300))), "logo.png"))
    response = browser.submit(f"/desa/{a.id}/kop", data, content_type="multipart/form-data")
    assert response.status_code == 302
    village = reload(a)
    assert village.phone == "62225891234" and village.letter_code == "KTP"
    assert village.logo_filename and village.logo_filename != "logo.png"
    logo = browser.get(f"/desa/{a.id}/logo")
    assert logo.status_code == 200 and logo.mimetype == "image/png"
    assert max(Image.open(io.BytesIO(logo.data)).size) == 600
    entry = AuditEntry.query.filter_by(entity="village", entity_id=a.id, action="update").first()
    assert entry.changes["head_name"][1] == "H. Asep"


@pytest.mark.parametrize("fields, message", [
    ({"letter_code": "K1"}, "Kode surat 2–8 huruf besar"),
    ({"email": "bukan-email"}, "Alamat email tidak sah."),
    ({"institution_name": ""}, "Isi nama lembaga."),
    ({"phone": "telepon"}, "Nomor HP tidak dikenali"),
    ({"head_name": "H. Asep\x00"}, "karakter yang tidak diizinkan"),
])
def test_bad_letterhead_input_changes_nothing(browser, world, fields, message):
    browser.login("kesra")
    a = world["a"]
    before = reload(a).institution_name
    response = browser.submit(f"/desa/{a.id}/kop", letterhead(**fields))
    assert response.status_code == 200
    assert message in text_of(response)
    assert reload(a).institution_name == before
    assert db_audit_count(a.id) == 0


def db_audit_count(village_id):
    return len(AuditEntry.query.filter_by(entity="village", entity_id=village_id,
                                          action="update").all())


def test_fake_image_is_refused(browser, world):
    browser.login("kesra")
    a = world["a"]
    fake = (io.BytesIO(b"<svg onload=alert(1)>not a png</svg>"), "logo.png")
    response = browser.submit(f"/desa/{a.id}/kop", letterhead(logo=fake),
                              content_type="multipart/form-data")
    assert response.status_code == 200
    assert "bukan gambar" in text_of(response)
    assert reload(a).logo_filename is None


def test_village_code_must_be_a_kemendagri_code(app):
    from crm.villages.services import check_region_code
    from crm.web.errors import RuleError

    assert check_region_code(" 32.04.11.2002 ") == "32.04.11.2002"
    for bad in ["32.04.11.3002", "3204112002", "32.4.11.2002", "32.04.11.20021", "ab.cd.ef.2001"]:
        with pytest.raises(RuleError):
            check_region_code(bad)



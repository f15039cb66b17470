"""Evidence from the CRM: turnover per month and channel equals sums written here in
plain SQL; resellers, partnerships and catering bookings; the query count does not
grow with the data; the proposal PDF carries the evidence, the RAB and the
signatures, with user text printed literally."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import bindparam, event, text

from crm.consignment.models import (
    ConsignmentDrop,
    ConsignmentVisit,
    ConsignmentVisitLine,
    Outlet,
)
from crm.db.types import UTCDateTime, utcnow
from crm.events.models import BookingLine, CateringBooking, Event
from crm.extensions import db
from crm.partners.models import Partnership
from crm.proposals.evidence import evidence_period, group_evidence
from crm.proposals.labels import DOC_MONTHS
from crm.resellers.services import claim_product
from tests import factories
from tests.helpers import pdf_text, reload, text_of
from tests.proposals.conftest import make_proposal, user

WIB = ZoneInfo("Asia/Jakarta")


def mid_month(month, day=15, hour=10) -> datetime:
    return datetime.combine(month.first_day.replace(day=day), time(hour), WIB).astimezone(UTC)


def consign(world, product, month, sold, unit_price, group="ladu", day=5):
    """A drop at the group's warung and a visit in ``month`` that found ``sold`` sold."""
    group = world[group]
    outlet = Outlet(group_id=group.id, village_id=group.village_id,
                    name=f"Warung {group.id}-{month.key}-{day}")
    db.session.add(outlet)
    db.session.flush()
    placed = month.first_day
    drop = ConsignmentDrop(outlet_id=outlet.id, group_id=group.id, village_id=group.village_id,
                           product_id=product.id, quantity=50, on_shelf=50 - sold,
                           unit_price=unit_price, placed_on=placed)
    db.session.add(drop)
    db.session.flush()
    visit = ConsignmentVisit(outlet_id=outlet.id, group_id=group.id,
                             village_id=group.village_id,
                             visited_on=placed.replace(day=day),
                             amount_due=sold * unit_price, cash_collected=sold * unit_price)
    db.session.add(visit)
    db.session.flush()
    db.session.add(ConsignmentVisitLine(
        visit_id=visit.id, drop_id=drop.id, product_id=product.id, on_shelf_before=50,
        remaining=50 - sold, returned=0, expired=0, sold=sold, unit_price=unit_price,
        cut_amount=0, amount_due=sold * unit_price))
    db.session.commit()


def book(world, partner, deliver_at, status, lines):
    """A catering booking in ``status`` with ``lines`` of (group, quantity, price)."""
    event_ = Event(village_id=world["a"].id, partner_id=partner.id, title="Rapat desa",
                   starts_at=deliver_at, ends_at=deliver_at + timedelta(hours=2))
    db.session.add(event_)
    db.session.flush()
    booking = CateringBooking(event_id=event_.id, village_id=world["a"].id,
                              partner_id=partner.id, kind="snack", status=status,
                              deliver_at=deliver_at)
    db.session.add(booking)
    db.session.flush()
    for group, quantity, price in lines:
        db.session.add(BookingLine(booking_id=booking.id, group_id=world[group].id,
                                   description="Snack box", quantity=quantity,
                                   unit_price=price))
    db.session.commit()


@pytest.fixture
def sales(world):
    """Sales of the Ladu group through every channel, and some that must not count."""
    period = evidence_period(12)
    last, third, first = period.months[-1], period.months[-3], period.months[0]
    before, current = first.shift(-1), last.shift(1)
    ladu = factories.product(world["ladu"], "Ladu Ketan", reseller_price=8_000,
                             retail_price=10_000)
    box = factories.product(world["ladu"], "Ladu Box", reseller_price=12_000,
                            retail_price=15_000)
    tas = factories.product(world["rajut"], "Tas Rajut", category="kerajinan",
                            reseller_price=80_000, retail_price=100_000)
    ka = user("ka")
    ge = factories.reseller(world["a"], username="ge", full_name="Gita")
    factories.order(ka, [(ladu, 3), (box, 2)], when=mid_month(last))
    factories.order(ka, [(ladu, 5)], status="finished", channel="whatsapp",
                    when=mid_month(last, 20))
    factories.order(ge, [(box, 4)], when=mid_month(third))
    factories.order(ka, [(ladu, 1)], when=mid_month(first, 1, 8))
    # Not counted: before the period, this month, cancelled, not shipped, another group.
    factories.order(ka, [(ladu, 100)], when=mid_month(before, 28))
    factories.order(ka, [(ladu, 100)], when=mid_month(current, 1, 9))
    factories.order(ka, [(ladu, 100)], status="cancelled", when=mid_month(last))
    factories.order(ka, [(ladu, 100)], status="confirmed", when=mid_month(last))
    factories.order(ka, [(tas, 1)], when=mid_month(last))
    consign(world, ladu, last, 10, 9_000)
    consign(world, ladu, third, 5, 9_000)
    consign(world, ladu, current, 20, 9_000)
    consign(world, tas, last, 2, 90_000, group="rajut")
    pemdes = factories.partner(world["a"], "Pemerintah Desa Katapang")
    book(world, pemdes, mid_month(last, 10), "delivered", [("ladu", 40, 15_000),
                                                           ("rajut", 10, 20_000)])
    book(world, pemdes, mid_month(third, 11), "paid", [("ladu", 30, 12_000)])
    book(world, pemdes, mid_month(last, 12), "requested", [("ladu", 99, 15_000)])
    book(world, pemdes, mid_month(last, 13), "cancelled", [("ladu", 99, 15_000)])
    partnership = Partnership(village_id=world["a"].id, partner_id=pemdes.id,
                              title="Snack rapat bulanan", starts_on=first.first_day,
                              status="active")
    partnership.groups = [world["ladu"]]
    db.session.add(partnership)
    claim_product(ladu, ka, ["shopee"])
    claim_product(box, ge, ["whatsapp"])
    claim_product(tas, ka, ["shopee"])
    db.session.commit()
    return {"period": period, "last": last, "third": third, "first": first}


def _range(month):
    return month.start, month.end


def sql_orders(group_id, month) -> dict:
    start, end = _range(month)
    rows = db.session.execute(text(
        "SELECT o.channel, SUM(l.quantity * l.reseller_price) FROM orders o "
        "JOIN order_lines l ON l.order_id = o.id "
        "WHERE o.group_id = :g AND o.status IN ('shipped', 'finished') "
        "AND o.shipped_at >= :start AND o.shipped_at < :end GROUP BY o.channel"
    ).bindparams(bindparam("start", type_=UTCDateTime()), bindparam("end", type_=UTCDateTime())),
        {"g": group_id, "start": start, "end": end})
    return {channel: int(total) for channel, total in rows}


def sql_consignment(group_id, month) -> int:
    return int(db.session.execute(text(
        "SELECT COALESCE(SUM(l.sold * l.unit_price), 0) FROM consignment_visit_lines l "
        "JOIN consignment_visits v ON v.id = l.visit_id "
        "WHERE v.group_id = :g AND v.visited_on >= :first AND v.visited_on < :next"),
        {"g": group_id, "first": month.first_day, "next": month.shift(1).first_day},
    ).scalar())


def sql_catering(group_id, month) -> int:
    start, end = _range(month)
    return int(db.session.execute(text(
        "SELECT COALESCE(SUM(bl.quantity * bl.unit_price), 0) FROM booking_lines bl "
        "JOIN catering_bookings b ON b.id = bl.booking_id "
        "WHERE bl.group_id = :g AND b.status IN ('delivered', 'invoiced', 'paid') "
        "AND b.deliver_at >= :start AND b.deliver_at < :end"
    ).bindparams(bindparam("start", type_=UTCDateTime()), bindparam("end", type_=UTCDateTime())),
        {"g": group_id, "start": start, "end": end}).scalar())


def test_evidence_equals_plain_sql_sums(world, sales):
    group = world["ladu"]
    evidence = group_evidence(group, user("kesra"), 12)
    assert evidence.months == list(sales["period"].months)
    grand = 0
    for n, month in enumerate(evidence.months):
        expected = sql_orders(group.id, month)
        expected["consignment"] = sql_consignment(group.id, month)
        expected["catering"] = sql_catering(group.id, month)
        for channel, value in expected.items():
            assert evidence.value(channel, n) == value, (month, channel)
        assert evidence.month_totals[n] == sum(expected.values())
        grand += sum(expected.values())
    assert evidence.total == grand == 1_239_000
    # The figures the data above was made to give.
    assert evidence.value("shopee", 11) == 3 * 8_000 + 2 * 12_000
    assert evidence.value("whatsapp", 11) == 40_000
    assert evidence.value("consignment", 11) == 90_000
    assert evidence.value("catering", 11) == 600_000
    assert evidence.value("shopee", 0) == 8_000
    assert evidence.channels == ["shopee", "whatsapp", "consignment", "catering"]
    assert evidence.channel_totals == {"shopee": 104_000, "whatsapp": 40_000,
                                       "consignment": 135_000, "catering": 960_000}
    assert evidence.average == 103_250
    # The MRSE channels alone are never compared with the whole turnover before MRSE:
    # without other sales recorded there is no change at all.
    assert evidence.baseline == 500_000 and evidence.turnover.change is None
    assert evidence.turnover.mrse_average == 103_250
    assert evidence.active_resellers == 2
    assert evidence.claim_resellers == 2
    assert (evidence.bookings_count, evidence.bookings_value) == (2, 960_000)
    assert [(p.partner_name, p.title, p.status) for p in evidence.partnerships] == [
        ("Pemerintah Desa Katapang", "Snack rapat bulanan", "active")]
    # Six months cut the period: only what falls in the last six counts.
    six = group_evidence(group, user("ladu"), 6)
    assert len(six.months) == 6 and six.total == 1_239_000 - 8_000


def test_tiktok_shop_sales_count_like_the_other_channels(world, sales):
    snack = factories.product(world["ladu"], "Opak Ketan", reseller_price=5_000,
                              retail_price=7_000)
    factories.order(user("ka"), [(snack, 4)], channel="tiktok",
                    when=mid_month(sales["last"], 22))
    evidence = group_evidence(world["ladu"], user("kesra"), 12)
    assert evidence.channels == ["shopee", "tiktok", "whatsapp", "consignment", "catering"]
    assert evidence.value("tiktok", 11) == 20_000
    assert evidence.total == 1_239_000 + 20_000


def test_evidence_is_the_same_for_the_officer_and_the_group(world, sales):
    by_officer = group_evidence(world["ladu"], user("kesra"), 12)
    by_group = group_evidence(world["ladu"], user("ladu"), 12)
    assert by_officer.cells == by_group.cells
    assert by_officer.active_resellers == by_group.active_resellers == 2


def test_query_count_does_not_grow_with_the_data(world, sales):
    def queries() -> int:
        seen = []

        def count(*args):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            group_evidence(reload(world["ladu"]), user("kesra"), 12)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(seen)

    before = queries()
    product = factories.product(world["ladu"], "Ladu Mini")
    for n, month in enumerate(sales["period"].months):
        factories.order(user("ka"), [(product, n + 1)], channel="instagram",
                        when=mid_month(month, 3))
        consign(world, product, month, 1, 7_000, day=7)
    assert queries() == before


def test_proposal_pdf_has_evidence_rab_and_signatures(browser, world, sales):
    world["a"].head_name = "H. Asep Saepudin"
    db.session.commit()
    proposal = make_proposal(world, title='<img src="http://127.0.0.1:1/x.png"> <b>Alat</b>',
                             background='Sejak 1999 <font color="red">merah</font>.')
    browser.login("ladu")
    pdf = pdf_text(browser.get(f"/proposal/{proposal.id}/proposal.pdf"))
    # Cover letter.
    assert "Lampiran : 1 (satu) berkas" in pdf
    assert "Perihal : Permohonan Bantuan Modal Usaha" in pdf
    assert "Kepada Yth. Kepala Dinas Koperasi dan UMKM Kabupaten Bandung" in pdf
    assert "KELOMPOK LADU KETAN RW 09" in pdf
    # User text printed as typed, never as markup.
    assert '<img src="http://127.0.0.1:1/x.png"> <b>Alat</b>' in pdf
    assert 'Sejak 1999 <font color="red">merah</font>.' in pdf
    for heading in ("A. Latar Belakang", "B. Tujuan", "C. Profil Kelompok dan Pengurus",
                    "D. Rencana Kegiatan", "E. Bukti Kinerja Usaha",
                    "F. Rencana Anggaran Biaya", "G. Penutup"):
        assert heading in pdf
    # Evidence: channels, the last month's row and the totals.
    for label in ("Shopee", "WhatsApp", "Titip jual", "Pesanan acara"):
        assert label in pdf
    last = sales["last"]
    assert (f"{DOC_MONTHS[last.month - 1]} {last.year} 48.000 40.000 90.000 600.000 778.000"
            " belum dicatat belum dicatat" in pdf)
    assert "Jumlah 104.000 40.000 135.000 960.000 1.239.000 0 -" in pdf
    assert "Omzet MRSE rata-rata per bulan : Rp 103.250" in pdf
    # No other sales recorded: the turnover before MRSE, no change, what MRSE added.
    assert "Omzet seluruhnya per bulan sebelum program : Rp 500.000" in pdf
    assert "-79" not in pdf and "%" not in pdf
    assert "belum dicatat – perubahan omzet belum bisa dihitung" in pdf
    assert "Tambahan dari saluran MRSE : Rp 103.250 per bulan" in pdf
    assert "Reseller aktif (ada penjualan) : 2 orang" in pdf
    assert "Pemerintah Desa Katapang – Snack rapat bulanan (aktif)" in pdf
    assert "Pesanan acara : 2 pesanan, Rp 960.000" in pdf
    # RAB lines, total and the amount in words.
    assert "1 Kompor gas 2 tungku 3 unit 1.250.000 3.750.000" in pdf
    assert "2 Kemasan mika ladu 7 pak 333.333 2.333.331" in pdf
    assert "Jumlah 6.083.331" in pdf
    assert "enam juta delapan puluh tiga ribu tiga ratus tiga puluh satu rupiah" in pdf
    # Signatures.
    assert "Ibu Euis Sumiati" in pdf and "Ibu Neneng" in pdf
    assert "Mengetahui, Kepala Desa Katapang" in pdf
    assert "H. Asep Saepudin" in pdf
    assert "DRAF – belum dikirim" in pdf


def test_proposal_page_shows_the_evidence(browser, world, sales):
    proposal = make_proposal(world)
    browser.login("kesra")
    page = text_of(browser.get(f"/proposal/{proposal.id}"))
    assert "Bukti kinerja usaha dari CRM" in page
    for figure in ("Rp 1.239.000", "Rp 103.250", "Rp 778.000", "Rp 104.000",
                   "Rp 135.000", "Rp 960.000"):
        assert figure in page, figure
    assert "-79" not in page and "−79" not in page
    assert "Penjualan lain belum dicatat — perubahan belum bisa dihitung" in page
    assert "Snack rapat bulanan" in page


def test_evidence_without_sales_is_all_zero(world):
    evidence = group_evidence(world["opak"], user("kesra_b"), 6,
                              now=utcnow() - timedelta(days=40))
    assert evidence.total == 0 and evidence.channels == []
    assert evidence.month_totals == [0] * 6 and evidence.turnover.change is None

"""The key pages of the benchmark and of the query-count tests.

Every entry is a real URL of the app, filled in with the records of a generated
dataset's manifest (see ``bench/generate.py``): the largest village, the largest
group, the busiest reseller and so on, each visible to the login of its role.

``kind`` tells how a page is fetched and judged:

- ``page``: an HTML page (or CSV export) behind a login;
- ``public``: no login (the public catalogue);
- ``ical``: an iCalendar file (the feeds need no login, the one-event file does);
- ``pdf``: a PDF document behind a login.

``floor`` names the endpoint of the bare-stack floor (``bench/floor.py``) that does
the same aggregation with one hand-written SQL statement, or None.
"""

from dataclasses import dataclass

KINDS = ("page", "public", "ical", "pdf")
# Issue 22: the Kabupaten view of 300 villages answers in p95 ≤ 100 ms.
AREA_P95_MS = 100.0


@dataclass(frozen=True)
class Page:
    """One URL to measure: a readable name, how to fetch it, as whom, and its floor."""

    name: str
    kind: str
    login: str | None
    url: str
    floor: str | None = None
    # The page's own p95 target in ms, where the issue that asked for it set one
    # (otherwise the target of its kind, see bench/run.py).
    p95_ms: float | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown page kind {self.kind!r}")


def key_pages(manifest: dict) -> list[Page]:
    """The pages measured for ``manifest``'s dataset, in a stable order."""
    ids = manifest["ids"]
    month = manifest["month"]
    feeds = manifest.get("feeds", {})
    group = ids["group"]
    booking, booking_group = ids["booking"], ids["booking_group"]
    partnership, proposal = ids["partnership"], ids["proposal"]
    pair = f"{ids['statement_group']}/{ids['statement_reseller']}"
    catering = f"/pesanan-acara/{booking}/kelompok/{booking_group}"

    pages = [
        # Each role's home page.
        Page("dashboard-officer", "page", "officer", "/beranda", "dashboard_officer"),
        Page("dashboard-officer-many", "page", "officer_many", "/beranda", "dashboard_officer"),
        Page("dashboard-producer", "page", "producer", "/beranda", "dashboard_producer"),
        Page("dashboard-reseller", "page", "reseller", "/beranda", "dashboard_reseller"),
        Page("dashboard-partner", "page", "partner", "/beranda", "dashboard_partner"),
        # Orders: the producer's work queue and the order lists.
        Page("queue-producer", "page", "producer", "/antrian", "queue"),
        Page("today-producer", "page", "producer", "/hari-ini"),
        Page("orders-reseller", "page", "reseller", "/pesanan", "orders"),
        Page("orders-producer", "page", "producer", "/pesanan", "orders"),
        Page("orders-officer", "page", "officer", "/pesanan", "orders"),
        # Who sold what for the large group (producer and officer), the officer's reports.
        Page("sales-group-producer", "page", "producer", f"/laporan?kelompok={group}",
             "sales"),
        Page("sales-group-officer", "page", "officer", f"/laporan?kelompok={group}", "sales"),
        Page("reports-officer", "page", "officer", "/laporan", "sales"),
        Page("reports-officer-month", "page", "officer", f"/laporan?bulan={month}", "sales"),
        Page("reports-villages", "page", "officer", "/laporan/desa", "village_report"),
        Page("reports-csv", "page", "officer", "/laporan.csv", None),
        # The Kecamatan and Kabupaten view: every village of the Kabupaten officer
        # (300 at Kabupaten size) over six months, over one month, and as CSV.
        Page("area-kabupaten", "page", "officer_many", f"/laporan/wilayah?sampai={month}",
             None, p95_ms=AREA_P95_MS),
        Page("area-kabupaten-month", "page", "officer_many",
             f"/laporan/wilayah?sampai={month}&bulan=1", None, p95_ms=AREA_P95_MS),
        Page("area-kabupaten-csv", "page", "officer_many",
             f"/laporan/wilayah.csv?sampai={month}", None, p95_ms=AREA_P95_MS),
        # One Kecamatan of it: the largest village's (the generator puts village 1 in
        # the first Kecamatan, 32.04.01), ten villages at Kabupaten size.
        Page("area-kecamatan", "page", "officer_many",
             f"/laporan/wilayah?sampai={month}&kecamatan=32.04.01", None, p95_ms=AREA_P95_MS),
        Page("area-officer", "page", "officer", f"/laporan/wilayah?sampai={month}", None),
        Page("earnings-reseller", "page", "reseller", "/penghasilan", None),
        # Money between resellers and groups.
        Page("balances-reseller", "page", "reseller", "/saldo", "balances"),
        Page("balances-producer", "page", "producer", "/saldo", "balances"),
        Page("statement-officer", "page", "officer", f"/saldo/{pair}", None),
        # The public catalogue.
        Page("catalog", "public", None, "/katalog", "catalog"),
        Page("catalog-village", "public", None, f"/katalog?desa={ids['village']}", "catalog"),
        Page("catalog-reseller", "public", None, f"/katalog/r/{ids['reseller_link']}",
             "catalog"),
        Page("catalog-product", "public", None, f"/katalog/produk/{ids['product']}", None),
        # Calendar.
        Page("calendar-officer", "page", "officer", f"/kalender?bulan={month}",
             "calendar_month"),
        Page("calendar-producer", "page", "producer", f"/kalender?bulan={month}",
             "calendar_month"),
        Page("calendar-partner", "page", "partner", f"/kalender?bulan={month}",
             "calendar_month"),
        Page("agenda-officer", "page", "officer", "/kalender/agenda", None),
        # Consignment, community fund, proposals, catering bookings, partnerships.
        Page("consignment-producer", "page", "producer", "/titip/", None),
        Page("consignment-officer", "page", "officer", "/titip/", None),
        # A producer's /dana-sosial/ redirects to their group's ledger.
        Page("fund-producer", "page", "producer", f"/dana-sosial/kelompok/{group}", None),
        Page("fund-officer", "page", "officer", "/dana-sosial/", None),
        Page("proposals-officer", "page", "officer", "/proposal/", None),
        Page("proposals-producer", "page", "producer", "/proposal/", None),
        Page("bookings-officer", "page", "officer", "/pesanan-acara", None),
        Page("bookings-partner", "page", "partner", "/pesanan-acara", None),
        Page("bookings-producer", "page", "producer", "/pesanan-acara", None),
        Page("partnerships-officer", "page", "officer", "/kemitraan", None),
        Page("partnerships-partner", "page", "partner", "/kemitraan", None),
    ]
    # iCalendar: each role's subscription feed and one event's file.
    for role in ("officer", "producer", "partner"):
        if feeds.get(role):
            pages.append(Page(f"feed-{role}", "ical", None, f"/kalender/feed/{feeds[role]}.ics",
                              "ical_feed"))
    pages.append(Page("event-ics", "ical", "officer", f"/acara/{ids['event']}.ics", None))
    # PDF documents.
    pages += [
        Page("offer-letter-pdf", "pdf", "officer",
             f"/kemitraan/{partnership}/surat-penawaran.pdf", "letter_pdf"),
        Page("agreement-pdf", "pdf", "officer", f"/kemitraan/{partnership}/perjanjian.pdf",
             "letter_pdf"),
        Page("receipt-pdf", "pdf", "officer", f"{catering}/kwitansi.pdf", "receipt_pdf"),
        Page("invoice-pdf", "pdf", "officer", f"{catering}/faktur.pdf", "receipt_pdf"),
        Page("delivery-note-pdf", "pdf", "officer", f"{catering}/surat-jalan.pdf", None),
        Page("statement-pdf", "pdf", "officer", f"/saldo/{pair}/laporan.pdf", None),
        Page("visit-slip-pdf", "pdf", "officer", f"/titip/kunjungan/{ids['visit']}/nota.pdf",
             None),
        Page("proposal-pdf", "pdf", "officer", f"/proposal/{proposal}/proposal.pdf", None),
        Page("advocacy-pdf", "pdf", "officer", f"/proposal/{proposal}/rekomendasi.pdf", None),
    ]
    return pages


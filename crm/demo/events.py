"""The demo's partners at work: a partnership with the village government, the
spending ceilings and two meetings with snacks booked from the groups."""

from datetime import date, time, timedelta

from crm.events.booking_steps import confirm_lines
from crm.events.catering import book_catering
from crm.events.services import combine_local, create_event
from crm.events.spending_ceilings import set_spending_ceiling
from crm.partners.letters import issue_letter_number
from crm.partners.services import change_partnership_status, create_partnership
from crm.text.dates import today_in


def add_events(village, pemdes, kecamatan, ladu, rajut, snacks, users) -> None:
    """A partnership with Pemdes, the monthly village meeting and a Kecamatan
    Musrenbang, each with snacks booked from the two groups."""
    kesra = users["kesra"]
    today = today_in()
    partnership = create_partnership(pemdes, [ladu, rajut], {
        "title": "Penyediaan makanan ringan lokal untuk rapat dan acara desa",
        "scope": "Kelompok menyediakan snack box dan kue khas Katapang untuk setiap rapat "
                 "dan acara Pemerintah Desa Katapang, serta cendera mata tas rajut.",
        "price_terms": "Snack box Rp 15.000 per orang; pembayaran paling lambat 14 hari "
                       "setelah kwitansi diterima, melalui transfer ke rekening kelompok.",
        "starts_on": today.replace(day=1), "ends_on": date(today.year, 12, 31),
    }, kesra)
    change_partnership_status(partnership, "activate", kesra)
    issue_letter_number(partnership, "offer", kesra)
    set_spending_ceiling(village, today.year, "snack", 21_000, kesra)
    set_spending_ceiling(village, today.year, "meal", 50_000, kesra)
    meetings = [
        (pemdes, "Rapat Bulanan Desa Katapang", "Aula Kantor Desa Katapang", 7, 9, 40,
         [(ladu, snacks[0], 40, 15_000)]),
        (kecamatan, "Musrenbang Kecamatan Katapang", "Aula Kecamatan Katapang", 12, 8, 80,
         [(ladu, snacks[1], 60, 17_000), (ladu, snacks[2], 20, 17_000),
          (rajut, None, 5, 80_000)]),
    ]
    for partner, title, place, days_ahead, hour, headcount, lines in meetings:
        day = today + timedelta(days=days_ahead)
        event = create_event(partner, {
            "title": title, "place": place, "headcount": headcount,
            "starts_at": combine_local(day, time(hour), village),
            "ends_at": combine_local(day, time(hour + 3), village),
        }, kesra)
        outcome = book_catering(event, {
            "kind": "snack", "deliver_at": combine_local(day, time(hour - 1, 30), village),
            "deliver_place": place, "dietary_notes": "Halal; 3 peserta tanpa gula.",
        }, [{"group_id": group.id, "product_id": getattr(product, "id", None),
             "description": None if product else "Tas rajut cendera mata narasumber",
             "quantity": quantity, "unit_price": price}
            for group, product, quantity, price in lines], kesra)
        if partner is pemdes:
            confirm_lines(outcome.booking, users["ladu"])

"""Prefilled WhatsApp messages about a catering booking, between the side that booked
(the village officer or the institution's contact) and the producer groups that cook:

- the officer or the partner contact writes to each group about its lines;
- the officer writes to the institution's contact about the whole booking;
- a group's producer writes to whoever coordinates the booking.

Each message greets the recipient by name, says what the sender did or asks at the
booking's step, with its number and the amount that matters to the recipient.
Pure builders: objects and plain values in, text out; :func:`whatsapp_links`
picks the messages a viewer of the booking's page may send.
"""

from crm.auth.models import Role, User
from crm.events.queries import EDITORS
from crm.text.dates import short_date
from crm.text.money import format_rupiah
from crm.text.phones import whatsapp_link
from crm.web.i18n import gettext as _


def _lines(lines) -> str:
    return ", ".join(f"{line.quantity} × {line.description}" for line in lines)


def _amount(lines) -> int:
    return sum(line.quantity * line.unit_price for line in lines)


def _when(deliver) -> str:
    return f"{short_date(deliver)} {deliver:%H.%M}"


def _facts(booking, event, deliver, url) -> dict:
    return {"id": booking.id, "event": event.title, "partner": booking.partner.name,
            "when": _when(deliver), "place": booking.deliver_place or event.place or "-",
            "reason": booking.cancel_reason or "-", "url": url}


def to_group(booking, event, group, sender: str, deliver, url: str,
             cancelled_by: str = "-") -> str:
    """From the booking side (officer or partner contact, ``sender``) to ``group``
    about its lines; ``deliver`` is the local delivery time."""
    lines = [line for line in booking.lines if line.group_id == group.id]
    values = {**_facts(booking, event, deliver, url), "group": group.name,
              "sender": sender, "lines": _lines(lines),
              "amount": format_rupiah(_amount(lines)), "who": cancelled_by}
    status = booking.status
    if status == "requested":
        return _(
            "Halo %(group)s, saya %(sender)s. Ada pesanan konsumsi #%(id)d dari "
            "%(partner)s untuk %(event)s: %(lines)s. Antar %(when)s di %(place)s. "
            "Bagian %(group)s: %(amount)s. Mohon dikonfirmasi: %(url)s", **values)
    if status == "confirmed":
        return _(
            "Halo %(group)s, terima kasih sudah mengonfirmasi pesanan konsumsi #%(id)d "
            "(%(event)s). Mohon diantar %(when)s di %(place)s: %(lines)s. "
            "Salam, %(sender)s. %(url)s", **values)
    if status == "delivered":
        return _(
            "Halo %(group)s, konsumsi pesanan #%(id)d (%(event)s) sudah diterima. "
            "Terima kasih! Bagian %(group)s: %(amount)s, dibayar setelah %(partner)s "
            "melunasi faktur. Salam, %(sender)s. %(url)s", **values)
    if status == "invoiced":
        return _(
            "Halo %(group)s, faktur pesanan konsumsi #%(id)d (%(event)s) sudah dikirim ke "
            "%(partner)s. Bagian %(group)s: %(amount)s; kami kabari bila sudah dibayar. "
            "Salam, %(sender)s. %(url)s", **values)
    if status == "paid":
        return _(
            "Halo %(group)s, pesanan konsumsi #%(id)d (%(event)s) sudah dilunasi "
            "%(partner)s. Bagian %(group)s: %(amount)s. Terima kasih! "
            "Salam, %(sender)s. %(url)s", **values)
    return _(
        "Halo %(group)s, pesanan konsumsi #%(id)d (%(event)s) dibatalkan oleh %(who)s: "
        "%(reason)s. Mohon tidak disiapkan. Salam, %(sender)s. %(url)s", **values)


def to_partner(booking, event, contact: str, sender: str, deliver, url: str,
               cancelled_by: str = "-") -> str:
    """From the officer (``sender``) to the institution's ``contact`` about the whole
    booking and its total."""
    values = {**_facts(booking, event, deliver, url), "contact": contact,
              "sender": sender, "lines": _lines(booking.lines),
              "total": format_rupiah(_amount(booking.lines)), "who": cancelled_by}
    status = booking.status
    if status == "requested":
        return _(
            "Halo %(contact)s, pesanan konsumsi #%(id)d untuk %(event)s sudah kami catat: "
            "%(lines)s. Antar %(when)s di %(place)s. Jumlah %(total)s. Kami kabari "
            "setelah kelompok mengonfirmasi. Salam, %(sender)s. %(url)s", **values)
    if status == "confirmed":
        return _(
            "Halo %(contact)s, pesanan konsumsi #%(id)d untuk %(event)s sudah dikonfirmasi "
            "kelompok: %(lines)s. Antar %(when)s di %(place)s. Jumlah %(total)s. "
            "Salam, %(sender)s. %(url)s", **values)
    if status == "delivered":
        return _(
            "Halo %(contact)s, konsumsi pesanan #%(id)d untuk %(event)s sudah diantar. "
            "Jumlah %(total)s; faktur dan kuitansi menyusul. Salam, %(sender)s. %(url)s",
            **values)
    if status == "invoiced":
        return _(
            "Halo %(contact)s, faktur pesanan konsumsi #%(id)d untuk %(event)s sebesar "
            "%(total)s sudah kami kirim. Mohon dibayar. Salam, %(sender)s. %(url)s",
            **values)
    if status == "paid":
        return _(
            "Halo %(contact)s, pembayaran %(total)s untuk pesanan konsumsi #%(id)d "
            "(%(event)s) sudah kami terima. Terima kasih! Salam, %(sender)s. %(url)s",
            **values)
    return _(
        "Halo %(contact)s, pesanan konsumsi #%(id)d untuk %(event)s dibatalkan oleh "
        "%(who)s: %(reason)s. Salam, %(sender)s. %(url)s", **values)


def to_coordinator(booking, event, group, coordinator: str, deliver, url: str,
                   cancelled_by: str = "-") -> str:
    """From ``group``'s producer to whoever coordinates the booking (``coordinator``)
    about the group's part."""
    lines = [line for line in booking.lines if line.group_id == group.id]
    values = {**_facts(booking, event, deliver, url), "to": coordinator,
              "group": group.name, "lines": _lines(lines),
              "amount": format_rupiah(_amount(lines)), "who": cancelled_by}
    status = booking.status
    confirmed = bool(lines) and all(line.confirmed_at for line in lines)
    if status == "requested" and not confirmed:
        return _(
            "Halo %(to)s, pesanan konsumsi #%(id)d untuk %(event)s sudah kami terima: "
            "%(lines)s, antar %(when)s. Kami cek dulu lalu konfirmasi. "
            "Salam, %(group)s. %(url)s", **values)
    if status in ("requested", "confirmed"):
        return _(
            "Halo %(to)s, bagian %(group)s di pesanan konsumsi #%(id)d untuk %(event)s "
            "sudah kami konfirmasi: %(lines)s. Kami antar %(when)s di %(place)s. "
            "Bagian kami: %(amount)s. Salam, %(group)s. %(url)s", **values)
    if status == "delivered":
        return _(
            "Halo %(to)s, konsumsi pesanan #%(id)d untuk %(event)s sudah kami antar: "
            "%(lines)s. Tagihan bagian kami: %(amount)s. Salam, %(group)s. %(url)s",
            **values)
    if status == "invoiced":
        return _(
            "Halo %(to)s, terima kasih, faktur pesanan konsumsi #%(id)d (%(event)s) sudah "
            "dikirim. Mohon kabari bila bagian kami %(amount)s sudah dibayar. "
            "Salam, %(group)s. %(url)s", **values)
    if status == "paid":
        return _(
            "Halo %(to)s, terima kasih, pesanan konsumsi #%(id)d (%(event)s) sudah lunas. "
            "Bagian kami: %(amount)s. Salam, %(group)s. %(url)s", **values)
    return _(
        "Halo %(to)s, baik, pembatalan pesanan konsumsi #%(id)d (%(event)s) oleh %(who)s "
        "sudah kami terima: %(reason)s. Salam, %(group)s. %(url)s", **values)


def whatsapp_links(booking, event, groups, viewer: User, deliver, url: str, history,
                   coordinator: tuple[str, str] | None) -> list[tuple[str, str]]:
    """``(recipient, wa.me link)`` for each side ``viewer`` writes to: the officer to
    each group and to the institution's contact, the partner contact to each group, a
    producer to the booking's ``coordinator`` (``(name, phone)``, see
    :func:`crm.events.queries.booking_coordinator`). ``history``: the booking's
    ``(audit entry, actor name)`` pairs, which name whoever cancelled it."""
    who = next((name for entry, name in reversed(history)
                if entry.action == "cancel" and name), "-")
    sender = viewer.full_name
    links = []
    if viewer.role in EDITORS:
        for group in groups:
            if group.phone:
                text = to_group(booking, event, group, sender, deliver, url, who)
                links.append((group.name, whatsapp_link(group.phone, text)))
        partner = booking.partner
        if viewer.role == Role.OFFICER and partner.phone:
            contact = partner.contact_name or partner.name
            text = to_partner(booking, event, contact, sender, deliver, url, who)
            links.append((contact, whatsapp_link(partner.phone, text)))
    elif viewer.role == Role.PRODUCER:
        group = next((g for g in groups if g.id == viewer.group_id), None)
        if group is not None and coordinator is not None:
            name, phone = coordinator
            text = to_coordinator(booking, event, group, name, deliver, url, who)
            links.append((name, whatsapp_link(phone, text)))
    return links

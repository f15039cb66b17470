"""Plain words for the fund: purposes, statuses, the rule and each ledger line."""

from datetime import date

from crm.text.money import format_rupiah
from crm.text.percent import format_percent
from crm.web.i18n import gettext as _
from crm.web.i18n import lazy_gettext as _l
from crm.web.templating import day_text

PURPOSE_LABELS = {
    "poor_families": _l("Bantuan keluarga kurang mampu"),
    "orphans": _l("Santunan anak yatim"),
    "public_facility": _l("Fasilitas umum"),
    "emergency_member": _l("Bantuan darurat anggota"),
    "other": _l("Lainnya"),
}
STATUS_LABELS = {
    "requested": _l("Menunggu persetujuan"),
    "approved": _l("Disetujui"),
    "rejected": _l("Ditolak"),
}
MODE_LABELS = {
    "percent": _l("Persen dari setiap penjualan"),
    "fixed": _l("Jumlah tetap setiap bulan"),
}
HISTORY_LABELS = {
    "request": _l("Diajukan"), "approve": _l("Disetujui"), "reject": _l("Ditolak"),
}


def rule_in_words(rule) -> str:
    """"2,5% dari setiap penjualan selesai" or "Rp 50.000 setiap bulan"."""
    if rule is None:
        return _("Belum ada aturan iuran.")
    if rule.mode == "fixed":
        return _("%(amount)s setiap bulan", amount=format_rupiah(rule.fixed_amount))
    return _("%(rate)s dari setiap penjualan selesai", rate=format_percent(rule.rate_bp))


def month_name(year: int, month: int) -> str:
    """"November 2026" in the page's language."""
    return day_text(date(year, month, 1), "MMMM y")


def source_name(source: str, source_id: int) -> str:
    """"Pesanan #12", "Pesanan acara #3", "Titip jual kunjungan #5"."""
    if source == "order":
        return _("Pesanan #%(id)d", id=source_id)
    if source == "booking":
        return _("Pesanan acara #%(id)d", id=source_id)
    if source == "consignment":
        return _("Titip jual kunjungan #%(id)d", id=source_id)
    return f"{source} #{source_id}"


def entry_description(entry) -> str:
    """Where a contribution came from ("Pesanan #12 — 2,5% dari Rp 120.000",
    "Iuran bulan November 2026"), or what a disbursement was for."""
    if entry.kind == "disbursement":
        purpose = str(PURPOSE_LABELS.get(entry.purpose, entry.purpose))
        return f"{purpose} — {entry.recipient}" if entry.recipient else purpose
    if entry.source == "fixed":
        year, month = divmod(entry.source_id, 100)
        return _("Iuran bulan %(month)s", month=month_name(year, month))
    name = source_name(entry.source, entry.source_id)
    if entry.revenue is not None and entry.rate_bp is not None:
        return _("%(source)s — %(rate)s dari %(revenue)s", source=name,
                 rate=format_percent(entry.rate_bp), revenue=format_rupiah(entry.revenue))
    return name

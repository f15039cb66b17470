"""The names of funders, KUR schemes, statuses, steps and checklist items of a
proposal: in the page's language for the screens, in Indonesian for the documents
(a funder reads the letter in Indonesian whatever language the user chose)."""

from crm.web.i18n import lazy_gettext as _l

FUNDER_LABELS = {
    "dana_desa": _l("Dana Desa / Pemerintah Desa"),
    "kecamatan": _l("Kecamatan"),
    "dinas_koperasi": _l("Dinas Koperasi dan UMKM"),
    "provinsi": _l("Pemerintah Provinsi"),
    "csr": _l("CSR perusahaan swasta"),
    "bumdes": _l("BUMDes"),
    "kur": _l("Bank penyalur KUR"),
}
KUR_LABELS = {
    "super_mikro": _l("KUR Super Mikro (sampai Rp 10 juta)"),
    "mikro": _l("KUR Mikro (di atas Rp 10 juta sampai Rp 100 juta)"),
    "kecil": _l("KUR Kecil (di atas Rp 100 juta sampai Rp 500 juta)"),
}
STATUS_LABELS = {
    "draft": _l("Draf"),
    "submitted": _l("Diajukan ke petugas"),
    "revision": _l("Perlu perbaikan"),
    "endorsed": _l("Direkomendasikan desa"),
    "sent": _l("Dikirim ke pemberi dana"),
    "approved": _l("Disetujui"),
    "rejected": _l("Ditolak"),
    "disbursed": _l("Dana sudah cair"),
    "reported": _l("Selesai, sudah dilaporkan"),
}
# What happens next and who acts, in plain words, for each status.
NEXT_STEP_HINTS = {
    "draft": _l("Kelompok (atau petugas) melengkapi isi, RAB dan kelengkapan, lalu menekan "
                "“Ajukan ke petugas”."),
    "submitted": _l("Petugas desa memeriksa proposal: memberi rekomendasi desa, atau "
                    "mengembalikannya dengan catatan perbaikan."),
    "revision": _l("Kelompok memperbaiki proposal sesuai catatan petugas, lalu mengajukannya "
                   "lagi."),
    "endorsed": _l("Surat rekomendasi desa sudah bernomor. Kelompok atau petugas mencetak "
                   "proposal, mengirimkannya ke pemberi dana, lalu menekan “Sudah dikirim”."),
    "sent": _l("Menunggu keputusan pemberi dana. Petugas mencatat keputusannya: disetujui "
               "atau ditolak."),
    "approved": _l("Disetujui. Saat dana diterima, kelompok atau petugas mencatat jumlah yang "
                   "cair."),
    "rejected": _l("Ditolak oleh pemberi dana. Kelompok bisa membuat proposal baru untuk "
                   "pemberi dana lain."),
    "disbursed": _l("Dana sudah cair. Kelompok (atau petugas) menulis laporan "
                    "pertanggungjawaban penggunaan dana."),
    "reported": _l("Selesai. Laporan pertanggungjawaban sudah dicatat."),
}
STEP_LABELS = {
    "submit": _l("Ajukan ke petugas"),
    "return": _l("Kembalikan untuk diperbaiki"),
    "endorse": _l("Beri rekomendasi desa"),
    "send": _l("Sudah dikirim ke pemberi dana"),
    "approve": _l("Catat: disetujui"),
    "reject": _l("Catat: ditolak"),
    "disburse": _l("Catat dana cair"),
    "report": _l("Simpan laporan pertanggungjawaban"),
}
# The step in the URL (/proposal/7/langkah/ajukan).
STEP_SLUGS = {
    "ajukan": "submit", "kembalikan": "return", "rekomendasi": "endorse", "kirim": "send",
    "setujui": "approve", "tolak": "reject", "cair": "disburse", "laporan": "report",
}
# Who may take each step, as the user reads it when refused.
STEP_ACTORS = {
    "submit": _l("kelompok atau petugas desa"),
    "return": _l("petugas desa"),
    "endorse": _l("petugas desa"),
    "send": _l("kelompok atau petugas desa"),
    "approve": _l("petugas desa"),
    "reject": _l("petugas desa"),
    "disburse": _l("kelompok atau petugas desa"),
    "report": _l("kelompok atau petugas desa"),
}
CHECKLIST_LABELS = {
    "nib_or_sku": _l("NIB atau Surat Keterangan Usaha (SKU)"),
    "pirt": _l("Izin P-IRT"),
    "halal": _l("Sertifikat halal"),
    "ktp_officers": _l("Fotokopi KTP pengurus"),
    "village_decree": _l("SK Kepala Desa tentang pembentukan kelompok"),
    "officer_structure": _l("Struktur pengurus kelompok"),
    "photos": _l("Foto usaha dan produk"),
    "npwp": _l("NPWP"),
}
CHECK_STATE_LABELS = {
    "present": _l("Ada"), "missing": _l("Belum"), "not_needed": _l("Tidak perlu"),
}
CHANNEL_LABELS = {
    "shopee": "Shopee", "tokopedia": "Tokopedia", "tiktok": "TikTok Shop", "whatsapp": "WhatsApp",
    "facebook": "Facebook", "instagram": "Instagram", "website": _l("Katalog desa"),
    "direct": _l("Reseller langsung"), "consignment": _l("Titip jual"),
    "catering": _l("Pesanan acara"),
}
PARTNERSHIP_STATUS_LABELS = {
    "proposed": _l("Diusulkan"), "active": _l("Aktif"), "ended": _l("Selesai"),
}

# --- in documents (always Indonesian) ---------------------------------------------

DOC_FUNDER_LABELS = {
    "dana_desa": "Pemerintah Desa (Dana Desa)", "kecamatan": "Kecamatan",
    "dinas_koperasi": "Dinas Koperasi dan UMKM", "provinsi": "Pemerintah Provinsi",
    "csr": "Program CSR", "bumdes": "BUMDes", "kur": "Kredit Usaha Rakyat (KUR)",
}
DOC_KUR_LABELS = {
    "super_mikro": "KUR Super Mikro", "mikro": "KUR Mikro", "kecil": "KUR Kecil",
}
DOC_CHECKLIST_LABELS = {
    "nib_or_sku": "NIB atau Surat Keterangan Usaha (SKU)", "pirt": "Izin P-IRT",
    "halal": "Sertifikat halal", "ktp_officers": "Fotokopi KTP pengurus",
    "village_decree": "SK Kepala Desa tentang pembentukan kelompok",
    "officer_structure": "Struktur pengurus kelompok", "photos": "Foto usaha dan produk",
    "npwp": "NPWP",
}
DOC_CHANNEL_LABELS = {
    "shopee": "Shopee", "tokopedia": "Tokopedia", "tiktok": "TikTok Shop", "whatsapp": "WhatsApp",
    "facebook": "Facebook", "instagram": "Instagram", "website": "Katalog desa",
    "direct": "Reseller langsung", "consignment": "Titip jual", "catering": "Pesanan acara",
}
DOC_PARTNERSHIP_STATUS_LABELS = {"proposed": "diusulkan", "active": "aktif", "ended": "selesai"}
DOC_GROUP_KIND_LABELS = {
    "food": "Makanan dan minuman", "craft": "Kerajinan", "other": "Usaha lainnya",
}
DOC_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
              "September", "Oktober", "November", "Desember")

"""Reseller profile, mentoring and claim forms."""

from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from crm.resellers.models import CHANNELS, STAGES
from crm.web.fields import MultiCheckboxField, no_control_characters
from crm.web.forms import AppForm
from crm.web.i18n import lazy_gettext as _l

CHANNEL_LABELS = {
    "shopee": "Shopee", "tokopedia": "Tokopedia", "tiktok": "TikTok Shop", "facebook": "Facebook",
    "instagram": "Instagram", "whatsapp": "WhatsApp Business",
    "website": _l("Katalog desa"), "other": _l("Lainnya"),
}
STAGE_LABELS = {
    "socialisation": _l("Sosialisasi"), "tools": _l("Pengenalan alat"),
    "operation": _l("Operasional"), "segmentation": _l("Segmentasi pasar"),
    "independent": _l("Mandiri"),
}
STAGE_HINTS = {
    "socialisation": _l("Mengenal model reseller dan produk desa."),
    "tools": _l("Belajar memakai marketplace, WhatsApp Business dan media sosial."),
    "operation": _l("Mulai mengunggah produk dan menerima pesanan."),
    "segmentation": _l("Menentukan sasaran pembeli dan cara promosi."),
    "independent": _l("Berjualan sendiri tanpa pendampingan rutin."),
}
CLAIM_STATUS_LABELS = {
    "pending": _l("Menunggu persetujuan"), "active": _l("Aktif"), "rejected": _l("Ditolak"),
    "withdrawn": _l("Dilepas reseller"), "ended": _l("Diakhiri produsen"),
}


def _url_field(label):
    return StringField(label, validators=[Optional(), Length(max=300), no_control_characters],
                       render_kw={"inputmode": "url", "placeholder": "https://"})


class ProfileForm(AppForm):
    public_page = BooleanField(_l("Tampilkan halaman publik saya"), description=_l(
        "Siapa pun yang punya link Anda bisa melihat nama Anda dan nomor WhatsApp "
        "untuk pembeli di bawah."))
    public_whatsapp = StringField(_l("Nomor WhatsApp untuk pembeli"), validators=[
        Optional(), Length(max=30), no_control_characters],
        description=_l("Tampil di halaman publik Anda. Boleh kosong: pembeli lalu "
                       "menghubungi kelompok produsen."),
        render_kw={"inputmode": "tel"})
    whatsapp = StringField(_l("Nomor WhatsApp untuk kelompok dan pendamping"), validators=[
        Optional(), Length(max=30), no_control_characters],
        description=_l("Hanya untuk produsen dan pendamping; tidak tampil di katalog."),
        render_kw={"inputmode": "tel", "autocomplete": "tel"})
    karang_taruna = BooleanField(_l("Anggota karang taruna"))
    shopee_url = _url_field(_l("Toko Shopee"))
    tokopedia_url = _url_field(_l("Toko Tokopedia"))
    facebook_url = _url_field(_l("Halaman Facebook"))
    instagram_url = _url_field(_l("Akun Instagram"))
    whatsapp_business = StringField(_l("WhatsApp Business (nomor atau tautan katalog)"),
                                    validators=[Optional(), Length(max=300),
                                                no_control_characters])
    other_url = _url_field(_l("Toko lain"))


class MentoringForm(AppForm):
    stage = SelectField(_l("Tahap sekarang"), choices=[
        SelectChoice(s, STAGE_LABELS[s]) for s in STAGES])
    on_date = DateField(_l("Tanggal pendampingan"), validators=[
        InputRequired(_l("Isi tanggal pendampingan."))])
    mentor_id = SelectField(_l("Pendamping"), coerce=int, choices=[])
    note = TextAreaField(_l("Catatan"), validators=[
        Optional(), Length(max=300), no_control_characters])
    next_date = DateField(_l("Pendampingan berikutnya"), validators=[Optional()])


class ClaimForm(AppForm):
    channels = MultiCheckboxField(_l("Di mana Anda akan menjual?"), choices=[
        SelectChoice(c, CHANNEL_LABELS[c]) for c in CHANNELS],
        validate_choice=False)


class ReasonForm(AppForm):
    """A confirmation form for claim steps, with an optional reason."""

    reason = StringField(_l("Alasan (boleh kosong)"), validators=[
        Optional(), Length(max=300), no_control_characters])

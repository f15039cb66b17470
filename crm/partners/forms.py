"""Partner and partnership forms, and the labels shown for their codes."""

from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from crm.partners.models import PARTNER_KINDS
from crm.partners.services import CONTACT_FIELDS, PARTNER_FIELDS, PARTNERSHIP_FIELDS
from crm.web.fields import (
    DayField,
    MultiCheckboxField,
    length_limit,
    no_control_characters,
    notes_field,
    text_field,
)
from crm.web.forms import AppForm
from crm.web.i18n import lazy_gettext as _l

PARTNER_KIND_LABELS = {
    "pemdes": _l("Pemerintah Desa"), "kecamatan": _l("Kecamatan"),
    "kabupaten": _l("Kabupaten"), "provinsi": _l("Provinsi"), "swasta": _l("Swasta"),
    "bumdes": _l("BUMDes"), "other": _l("Lainnya"),
}
PARTNERSHIP_STATUS_LABELS = {
    "proposed": _l("Diusulkan"), "active": _l("Aktif"), "ended": _l("Berakhir"),
}
LETTER_LABELS = {
    "offer": _l("Surat penawaran kerja sama"), "agreement": _l("Perjanjian kerja sama"),
}


class PartnerContactForm(AppForm):
    """The contact details an institution's own contact person may keep up to date."""

    contact_name = text_field(_l("Nama kontak"), 120,
                              description=_l("Orang yang menandatangani atau menerima surat."))
    contact_position = text_field(_l("Jabatan kontak"), 120,
                                  description=_l("Misalnya Sekretaris Kecamatan, Kasi PMD."))
    phone = StringField(_l("Telepon / WhatsApp"), validators=[Optional(), Length(max=30)],
                        render_kw={"inputmode": "tel", "autocomplete": "tel"},
                        description=_l("Contoh: 0812-3456-7890 atau 022-5891234."))
    email = StringField(_l("Email"), validators=[Optional(), Length(max=120)],
                        render_kw={"inputmode": "email", "autocomplete": "email"})
    address = notes_field(_l("Alamat kantor"), 500)

    def values(self) -> dict:
        return {name: self[name].data for name in CONTACT_FIELDS}


class PartnerForm(PartnerContactForm):
    """Everything about an institution, recorded by the officer."""

    # The service refuses unknown kinds with a message in the user's language.
    kind = SelectField(_l("Jenis lembaga"), validate_choice=False, choices=[
        SelectChoice(k, PARTNER_KIND_LABELS[k]) for k in PARTNER_KINDS])
    name = StringField(_l("Nama lembaga"), validators=[
        DataRequired(_l("Isi nama lembaga.")), length_limit(160),
        no_control_characters], description=_l("Misalnya Kecamatan Katapang, PT Sinar Jaya."))
    unit = text_field(_l("Bagian / unit"), 160,
                      description=_l("Misalnya Seksi Pemberdayaan Masyarakat. Boleh kosong."))
    npwp = StringField(_l("NPWP"), validators=[Optional(), Length(max=25)],
                       render_kw={"inputmode": "numeric"},
                       description=_l("15 atau 16 angka. Boleh kosong."))

    def values(self) -> dict:
        return {name: self[name].data for name in PARTNER_FIELDS}


class PartnerCreateForm(PartnerForm):
    """A new institution: the officer also picks one of their villages."""

    village_id = SelectField(_l("Desa"), validate_choice=False)

    def validate_village_id(self, field):
        # The choices are the officer's villages; anything else is refused here
        # (and again by the service), never stored.
        if field.data not in {choice.value for choice in field.choices or ()}:
            raise ValidationError(_l("Pilih salah satu desa wilayah tugas Anda."))


class PartnershipForm(AppForm):
    """A new partnership between a partner and groups of the same village."""

    partner_id = SelectField(_l("Mitra (lembaga)"), validate_choice=False)
    group_ids = MultiCheckboxField(_l("Kelompok usaha"), validate_choice=False,
                                   description=_l("Pilih satu atau lebih kelompok dari desa "
                                                  "yang sama dengan mitra."))
    title = StringField(_l("Judul kerja sama"), validators=[
        DataRequired(_l("Isi judul kerja sama.")), length_limit(200),
        no_control_characters],
        description=_l("Misalnya Penyediaan Snack Rapat Minggon Kecamatan."))
    scope = notes_field(_l("Ruang lingkup"), 4000,
                        description=_l("Apa yang disediakan, untuk kegiatan apa, berapa banyak."))
    price_terms = notes_field(_l("Harga dan pembayaran"), 2000,
        description=_l("Misalnya Rp 15.000 per kotak, dibayar 14 hari setelah kuitansi."))
    starts_on = DayField(_l("Mulai"), validators=[Optional()])
    ends_on = DayField(_l("Selesai"), validators=[Optional()],
                       description=_l("Boleh kosong bila tidak ditentukan."))

    def values(self) -> dict:
        return {name: self[name].data for name in PARTNERSHIP_FIELDS}

    def chosen_group_ids(self) -> list[int]:
        """The ticked group ids (anything that is not a number is dropped)."""
        chosen = []
        for value in self.group_ids.data or ():
            try:
                chosen.append(int(value))
            except (TypeError, ValueError):
                continue
        return chosen

    def chosen_partner_id(self) -> int | None:
        try:
            return int(self.partner_id.data)
        except (TypeError, ValueError):
            return None


class StatusForm(AppForm):
    """The CSRF-protected button of a status step."""

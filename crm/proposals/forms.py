"""Forms for capital proposals: the content, RAB lines, the checklist and the steps."""

from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, NumberRange, Optional

from crm.proposals.labels import (
    CHECK_STATE_LABELS,
    CHECKLIST_LABELS,
    FUNDER_LABELS,
    KUR_LABELS,
)
from crm.proposals.models import CHECKLIST_KEYS
from crm.proposals.services import EVIDENCE_MONTHS, MAX_VOLUME, TEXT_LIMITS
from crm.web.fields import (
    CountField,
    RupiahField,
    length_limit,
    no_control_characters,
    notes_field,
    text_field,
)
from crm.web.forms import AppForm
from crm.web.i18n import lazy_gettext as _l

NEW_LINE_ROWS = 3


class ProposalForm(AppForm):
    """The content of a proposal; ``group_id`` only when an officer starts one."""

    group_id = SelectField(_l("Kelompok"), choices=[], validate_choice=False)
    funder_kind = SelectField(_l("Pemberi dana"), choices=[
        SelectChoice(k, label) for k, label in FUNDER_LABELS.items()], default="dinas_koperasi")
    funder_name = StringField(_l("Nama pemberi dana (untuk “Kepada Yth.”)"), validators=[
        DataRequired(_l("Isi nama pemberi dana, misalnya Dinas Koperasi dan UMKM Kabupaten "
                        "Bandung.")), length_limit(TEXT_LIMITS["funder_name"]),
        no_control_characters],
        render_kw={"placeholder": _l("Kepala Dinas Koperasi dan UMKM Kabupaten Bandung")})
    funder_address = notes_field(_l("Alamat pemberi dana"), TEXT_LIMITS["funder_address"])
    kur_scheme = SelectField(_l("Skema KUR (hanya untuk KUR)"), choices=[
        SelectChoice("", _l("— bukan KUR —")),
        *[SelectChoice(k, label) for k, label in KUR_LABELS.items()]], default="")
    title = StringField(_l("Judul proposal"), validators=[
        DataRequired(_l("Isi judul proposal.")), length_limit(TEXT_LIMITS["title"]),
        no_control_characters],
        render_kw={"placeholder": _l("Penambahan alat produksi ladu ketan")})
    background = notes_field(_l("A. Latar belakang"), TEXT_LIMITS["background"],
                             description=_l("Usaha kelompok sekarang dan kenapa perlu modal."))
    aims = notes_field(_l("B. Tujuan"), TEXT_LIMITS["aims"])
    activities = notes_field(_l("Rencana kegiatan"), TEXT_LIMITS["activities"],
                             description=_l("Apa yang dibeli atau dikerjakan dengan dana ini."))
    closing = notes_field(_l("Penutup (boleh kosong)"), TEXT_LIMITS["closing"])
    requested_amount = RupiahField(
        _l("Jumlah yang dimohon"), validators=[Optional()],
        description=_l("Kosongkan: sama dengan total RAB. Tidak boleh melebihi total RAB."))
    chair_name = text_field(_l("Ketua"), TEXT_LIMITS["chair_name"])
    secretary_name = text_field(_l("Sekretaris"), TEXT_LIMITS["secretary_name"])
    treasurer_name = text_field(_l("Bendahara"), TEXT_LIMITS["treasurer_name"])
    evidence_months = SelectField(
        _l("Bukti penjualan dari CRM"), coerce=int, default=12,
        choices=[SelectChoice(n, _l("%(n)d bulan terakhir", n=n))
                 for n in reversed(EVIDENCE_MONTHS)])
    form_token = HiddenField()

    def values(self) -> dict:
        """The typed content, keyed like the proposal's fields."""
        return {name: self[name].data for name in (
            "funder_kind", "funder_name", "funder_address", "kur_scheme", "title",
            "background", "aims", "activities", "closing", "requested_amount", "chair_name",
            "secretary_name", "treasurer_name", "evidence_months")}


def _item():
    return text_field(_l("Uraian"), 200, render_kw={"placeholder": _l("Kompor gas 2 tungku")})


def _volume():
    return CountField(_l("Volume"), validators=[
        Optional(), NumberRange(1, MAX_VOLUME, _l("Volume 1 sampai %(max)d."))])


def _unit():
    return text_field(_l("Satuan"), 30, render_kw={"placeholder": _l("unit")})


def _price():
    return RupiahField(_l("Harga satuan"), validators=[Optional()])


class BudgetLineForm(AppForm):
    """One RAB line."""

    item, volume, unit, unit_price = _item(), _volume(), _unit(), _price()

    def line_values(self) -> dict:
        return {"item": self.item.data, "volume": self.volume.data, "unit": self.unit.data,
                "unit_price": self.unit_price.data}


class NewLineForm(Form):
    """A row of the "add lines" form (left empty: skipped)."""

    item, volume, unit, unit_price = _item(), _volume(), _unit(), _price()

    def line_values(self) -> dict:
        return {"item": self.item.data, "volume": self.volume.data, "unit": self.unit.data,
                "unit_price": self.unit_price.data}


class NewLinesForm(AppForm):
    """Several new RAB lines at once."""

    lines = FieldList(FormField(NewLineForm), min_entries=NEW_LINE_ROWS,
                      max_entries=NEW_LINE_ROWS)

    def rows(self) -> list[dict]:
        return [entry.form.line_values() for entry in self.lines]


class ChecklistForm(AppForm):
    """Ada / belum / tidak perlu and a note for every attachment or permit; the fields
    ``state_<key>`` and ``note_<key>`` are added below for each checklist key."""

    def states(self) -> dict:
        return {key: (self[f"state_{key}"].data, self[f"note_{key}"].data or "")
                for key in CHECKLIST_KEYS}


for _key in CHECKLIST_KEYS:
    setattr(ChecklistForm, f"state_{_key}", RadioField(
        CHECKLIST_LABELS[_key], choices=[SelectChoice(k, v) for k, v in
                                         CHECK_STATE_LABELS.items()],
        validate_choice=False))
    setattr(ChecklistForm, f"note_{_key}", text_field(_l("Catatan"), 200))


class StepForm(AppForm):
    """A workflow step: a comment, an amount (approve, disburse) or the report."""

    comment = notes_field(_l("Catatan"), 2000)
    amount = RupiahField(_l("Jumlah"), validators=[Optional()])
    report = notes_field(_l("Laporan pertanggungjawaban"), 10_000,
        description=_l("Untuk apa dana dipakai, apa hasilnya, dan bukti yang disimpan."))

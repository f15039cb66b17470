"""Product, stock and photo forms."""


from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from crm.web.fields import RupiahField, no_control_characters
from crm.web.forms import AppForm
from crm.web.i18n import lazy_gettext as _l

CATEGORY_LABELS = {
    "makanan": _l("Makanan ringan"), "minuman": _l("Minuman"), "kue": _l("Kue"),
    "kerajinan": _l("Kerajinan"), "fashion": _l("Fashion"), "lainnya": _l("Lainnya"),
}
UNIT_LABELS = {
    "pcs": "pcs", "pak": "pak", "kotak": _l("kotak"), "lusin": _l("lusin"), "kg": "kg",
    "gram": "gram", "paket": _l("paket"),
}
KIND_LABELS = {
    "production": _l("Produksi masuk"), "adjustment": _l("Penyesuaian (hasil hitung)"),
    "defect": _l("Rusak / cacat"), "order": _l("Pesanan"), "cancel": _l("Pesanan batal"),
    "consignment_out": _l("Titip jual keluar"), "consignment_back": _l("Titip jual kembali"),
    "return": _l("Retur"),
}
POSITIVE = NumberRange(min=0, max=10_000_000, message=_l("Isi angka 0 sampai 10.000.000."))


class ProductForm(AppForm):
    name = StringField(_l("Nama produk"), validators=[
        DataRequired(_l("Isi nama produk.")), Length(max=120), no_control_characters])
    description = TextAreaField(_l("Deskripsi"), validators=[
        Optional(), Length(max=4000), no_control_characters],
        description=_l("Rasa, bahan, ukuran, cara simpan: dipakai reseller untuk iklan."))
    category = SelectField(_l("Kategori"), choices=[
        SelectChoice(k, v) for k, v in CATEGORY_LABELS.items()])
    unit = SelectField(_l("Satuan"), choices=[SelectChoice(k, v) for k, v in UNIT_LABELS.items()])
    weight_grams = IntegerField(_l("Berat per satuan (gram)"), validators=[
        InputRequired(_l("Isi berat dalam gram.")), POSITIVE],
        description=_l("Untuk ongkos kirim."), render_kw={"inputmode": "numeric"})
    cost_price = RupiahField(_l("Modal / HPP per satuan"), validators=[Optional()])
    reseller_price = RupiahField(_l("Harga reseller"), validators=[
        InputRequired(_l("Isi harga reseller."))])
    retail_price = RupiahField(_l("Harga jual konsumen (HET)"), validators=[
        InputRequired(_l("Isi harga jual konsumen."))])
    dropship_price = RupiahField(_l("Harga dropship (boleh kosong)"), validators=[Optional()])
    shelf_life_days = IntegerField(_l("Tahan berapa hari"), validators=[
        Optional(), NumberRange(min=1, max=3650, message=_l("Isi 1 sampai 3650 hari."))],
        render_kw={"inputmode": "numeric"})
    made_to_order = BooleanField(_l("Dibuat saat dipesan (tanpa stok)"))
    daily_capacity = IntegerField(_l("Kapasitas per hari (untuk produk pesanan)"), validators=[
        Optional(), NumberRange(min=1, max=1_000_000, message=_l("Isi angka minimal 1."))],
        render_kw={"inputmode": "numeric"})
    claim_cap = IntegerField(_l("Maksimal reseller yang boleh menjual"), validators=[
        Optional(), NumberRange(min=1, max=10_000, message=_l("Isi angka minimal 1."))],
        description=_l("Kosongkan bila tidak dibatasi."), render_kw={"inputmode": "numeric"})
    claim_needs_approval = BooleanField(_l("Reseller perlu persetujuan saya dulu"))
    active = BooleanField(_l("Aktif (tampil di katalog)"), default=True)

    def values(self) -> dict:
        """The typed values, keyed like the product's fields."""
        return {
            name: self[name].data
            for name in (
                "name", "description", "category", "unit", "weight_grams", "cost_price",
                "reseller_price", "retail_price", "dropship_price", "shelf_life_days",
                "made_to_order", "daily_capacity", "claim_cap", "claim_needs_approval", "active",
            )
        } | {"cost_price": self.cost_price.data or 0, "description": self.description.data or ""}


class StockForm(AppForm):
    kind = SelectField(_l("Jenis"), choices=[
        SelectChoice(k, KIND_LABELS[k]) for k in ("production", "adjustment", "defect")])
    quantity = IntegerField(_l("Jumlah"), validators=[
        InputRequired(_l("Isi jumlah.")),
        NumberRange(min=-1_000_000, max=1_000_000, message=_l("Jumlah terlalu besar."))],
        description=_l("Penyesuaian boleh minus, misalnya -3."),
        render_kw={"inputmode": "numeric"})
    note = StringField(_l("Catatan"), validators=[
        Optional(), Length(max=200), no_control_characters])
    form_token = HiddenField()


class PhotoForm(AppForm):
    photo = FileField(_l("Foto produk (JPG/PNG)"), render_kw={"accept": "image/*"})

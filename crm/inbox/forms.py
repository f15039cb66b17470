"""Forms of the order inbox: the upload, the column choice, the product choices and
the saving (the last three carry their selects by hand: one per field or product)."""

from flask_wtf.file import FileField
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from crm.orders.forms import CHANNEL_LABELS
from crm.web.forms import AppForm
from crm.web.i18n import lazy_gettext as _l

# The marketplaces whose exports the inbox reads.
MARKETPLACES = ("shopee", "tokopedia", "tiktok")
MARKETPLACE_LABELS = {"tiktok": "TikTok Shop", **CHANNEL_LABELS}


class UploadForm(AppForm):
    file = FileField(_l("Berkas pesanan dari marketplace (XLSX atau CSV, paling besar 5 MB)"),
                     render_kw={"accept": ".xlsx,.csv,text/csv,application/vnd."
                                          "openxmlformats-officedocument.spreadsheetml.sheet"})


class ColumnsForm(AppForm):
    channel = SelectField(_l("Dari marketplace mana berkas ini?"), choices=[
        SelectChoice(code, MARKETPLACE_LABELS[code]) for code in MARKETPLACES])


class ConfirmForm(AppForm):
    """The product choices and the save button (CSRF only; the selects are read by
    name)."""


class LabelsForm(AppForm):
    """The marketplace's label PDF of a saved export (one label a page)."""

    file = FileField(_l("Berkas PDF label pengiriman dari marketplace (paling besar 8 MB)"),
                     render_kw={"accept": ".pdf,application/pdf"})

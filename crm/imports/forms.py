"""Forms of the imports: the upload (which kind, which file) and the saving."""

from flask_wtf.file import FileField
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from crm.imports.kinds import KINDS
from crm.web.forms import AppForm
from crm.web.i18n import lazy_gettext as _l


class UploadForm(AppForm):
    kind = SelectField(_l("Jenis data"), choices=[
        SelectChoice(code, kind.title) for code, kind in KINDS.items()])
    file = FileField(_l("Berkas XLSX atau CSV (paling besar 5 MB, 5.000 baris)"),
                     render_kw={"accept": ".xlsx,.csv,text/csv,application/vnd."
                                          "openxmlformats-officedocument.spreadsheetml.sheet"})


class ConfirmForm(AppForm):
    """The save button and the new-link buttons (CSRF only)."""

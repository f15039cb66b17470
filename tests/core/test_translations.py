"""The English catalogue covers every text of the app."""

import re
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def test_every_text_has_an_english_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l",
         "-k", "lazy_gettext", "-o", str(pot), "--no-location", str(ROOT)]
    )
    with open(pot, "rb") as f:
        wanted = {m.id for m in read_po(f) if m.id}
    with open(ROOT / "crm/translations/en/LC_MESSAGES/messages.po", "rb") as f:
        english = {m.id: m for m in read_po(f) if m.id}
    missing = sorted(m for m in wanted if m not in english or not english[m].string)
    assert not missing, f"run `make messages` and translate: {missing[:10]}"
    for message in english.values():
        if message.string:
            assert sorted(PLACEHOLDER.findall(message.id)) == sorted(
                PLACEHOLDER.findall(message.string)
            ), message.id


def test_texts_follow_the_locale_of_the_moment(app):
    """``force_locale`` and ``refresh`` switch the language of texts in code and in
    templates alike."""
    from flask import render_template_string
    from flask_babel import force_locale, refresh

    from crm.web.i18n import gettext, ngettext

    page = "{{ _('Simpan') }}"
    with app.test_request_context("/"):
        assert gettext("Simpan") == "Simpan"
        assert render_template_string(page) == "Simpan"
        with force_locale("en"):
            assert gettext("Simpan") == "Save"
            assert render_template_string(page) == "Save"
        assert gettext("Simpan") == "Simpan"
        refresh()
        assert gettext("Simpan") == "Simpan"
        assert ngettext("%(num)d pesanan", "%(num)d pesanan", 2) == "2 pesanan"

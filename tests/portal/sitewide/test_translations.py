"""The interface is translated: the three gettext catalogues are complete and current."""

import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise

LOCALE_DIR = Path(settings.BASE_DIR) / "portal" / "locale"
LANGUAGES = ["fr", "ar", "en"]
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def catalogue(code):
    return polib.pofile(str(LOCALE_DIR / code / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_string_is_translated_and_keeps_its_placeholders(code):
    po = catalogue(code)
    assert len(po) > 150
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    for entry in po:
        wanted = set(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert set(PLACEHOLDER.findall(text)) == wanted, (code, entry.msgid, text)


@pytest.mark.parametrize("code", LANGUAGES)
def test_compiled_catalogue_matches_the_source(code):
    compiled = polib.mofile(str(LOCALE_DIR / code / "LC_MESSAGES" / "django.mo"))
    source = catalogue(code)
    assert {(e.msgid, e.msgstr) for e in compiled if not e.msgid_plural and e.msgid} == {
        (e.msgid, e.msgstr) for e in source.translated_entries() if not e.msgid_plural
    }


def test_catalogues_contain_every_string_of_the_code(tmp_path):
    """makemessages on a copy of the code finds no string the catalogues lack."""
    if not shutil.which("xgettext"):
        apt_get = shutil.which("apt-get")
        if os.geteuid() == 0 and apt_get:
            subprocess.run([apt_get, "install", "-y", "-qq", "gettext"], check=False, capture_output=True)
        if not shutil.which("xgettext"):
            pytest.skip("GNU gettext (xgettext) is not installed; `apt-get install gettext`")
    copy = tmp_path / "project"
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "var", "static", "media", "tests", "node_modules", "*.pyc"),
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--ignore=tests", "-v0"],
        cwd=copy, env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    fresh = polib.pofile(str(copy / "portal" / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    current = {e.msgid for e in fresh if not e.obsolete}
    assert current - {e.msgid for e in catalogue("fr")} == set(), "run `make messages` and translate"
    for code in ("ar", "en"):
        assert current - {e.msgid for e in catalogue(code)} == set()


def declared_by_us(model, field):
    """Whether our code declares the field (not Wagtail's, taggit's or Django's base classes)."""
    for cls in reversed(model.__mro__):
        meta = getattr(cls, "_meta", None)
        if meta is not None and any(f.name == field.name for f in meta.get_fields(include_parents=False)):
            return cls.__module__.split(".")[0] in OUR_APPS
    return False


OUR_APPS = ("portal", "brand", "events")


def editor_strings():
    """Every field label, help text and model name of ours, as (where, msgid)."""
    strings = []
    for model in apps.get_models():
        if model.__module__.split(".")[0] not in OUR_APPS:
            continue
        strings.append((model._meta.label, model._meta.verbose_name))
        for field in model._meta.local_fields + model._meta.local_many_to_many:
            if field.name == "id" or field.name.endswith("_ptr") or not declared_by_us(model, field):
                continue
            strings.append((f"{model._meta.label}.{field.name}", field.verbose_name))
            if field.help_text:
                strings.append((f"{model._meta.label}.{field.name} (help)", field.help_text))
    return strings


def test_every_label_and_help_text_an_editor_sees_is_translated_in_french_and_arabic():
    strings = editor_strings()
    assert len(strings) > 250
    # A plain string is never translated: the admin would show it as written.
    assert [where for where, text in strings if not isinstance(text, Promise)] == []
    with translation.override(None):
        msgids = {where: str(text) for where, text in strings}
    for code in ("fr", "ar"):
        translated = {e.msgid for e in catalogue(code).translated_entries()}
        assert {where: msgid for where, msgid in msgids.items() if msgid not in translated} == {}, code
    # What an Arabic-speaking editor reads.
    with translation.override("ar"):
        assert (
            str(dict(strings)["brand.Organisation.acronym (help)"])
            == "الاسم المختصر، مثلًا «ADD». اتركوه فارغًا إن لم يوجد."
        )


def test_the_amazigh_catalogue_is_compiled_and_every_translation_awaits_a_native_review():
    po = catalogue("zgh")
    translated = po.translated_entries()
    assert len(translated) > 200
    # Nobody on the team can vouch for them (docs/languages.md): each says so to the translator.
    assert [e.msgid for e in translated if "traducteur natif" not in (e.tcomment or "")] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    compiled = polib.mofile(str(LOCALE_DIR / "zgh" / "LC_MESSAGES" / "django.mo"))
    assert {(e.msgid, e.msgstr) for e in compiled if not e.msgid_plural and e.msgid} == {
        (e.msgid, e.msgstr) for e in translated if not e.msgid_plural
    }
    with translation.override("zgh"):
        assert translation.gettext("Actualités") == "ⵉⵏⵖⵎⵉⵙⵏ"
        # Django's own month names, from portal/locale_django/.
        assert date_format(datetime.date(2026, 12, 6)) == "6 ⴷⵓⵊⴰⵏⴱⵉⵔ 2026"
        assert translation.get_language_info("zgh")["name_local"] == "ⵜⴰⵎⴰⵣⵉⵖⵜ"
        assert not translation.get_language_bidi()

"""The interface is translated: the three gettext catalogues are complete and current."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

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

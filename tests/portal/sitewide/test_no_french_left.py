"""No French of ours on the Arabic and English sites (issue #24, item 3).

A crawler walks each language's site from its home, every page type
included (one article, event and startup are translated for it), and reads
what a visitor reads: the text and the attributes a screen reader speaks,
outside content marked as being in another language (lang="fr"). It looks
for the French of our interface (the catalogue's msgids whose translation
differs) and of our fixtures (sector, city and organisation names, partner
roles). Links into /fr/ are allowed only from content marked French (a
French article listed on /ar/) and from the language switcher.
"""

import re
from pathlib import Path

import polib
import pytest
import yaml
from django.conf import settings
from lxml import html as lxml_html
from wagtail.models import Locale

from brand.models import StartupPage
from events.models import EventPage
from events.setup import setup_events
from portal.news.importers.articles import import_paths
from portal.news.models import ArticlePage
from portal.sitewide.setup import setup_site
from tests.conftest import SEEDS_DIR

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
# Said in every language: brand and product names, and what French and the target share.
SAME_EVERYWHERE = {"MoroccoTech", "Morocco Tech", "Technopark", "Fintech", "Agritech", "Edtech", "Healthtech"}
TRANSLATED_FIELDS = {
    ArticlePage: ("title", "standfirst"),
    EventPage: ("title", "summary", "city", "venue", "country", "attendance_note"),
    StartupPage: ("title", "pitch"),
}
EXTRA_URLS = ("recherche/?q=MoroccoTech", "recherche/?q=xyzzy", "newsletter/", "startups/?sector=fintech")


def french_of_ours(language):
    """What the portal itself writes in French and says differently in `language`."""
    strings = set()
    catalogue = polib.pofile(
        Path(settings.BASE_DIR) / "portal" / "locale" / language / "LC_MESSAGES" / "django.po"
    )
    for entry in catalogue:
        text = entry.msgid
        # Placeholders and markup make a msgid that never shows as it is. An untranslated
        # msgid counts: it shows as written (the Amazigh catalogue leaves the admin's out).
        if entry.obsolete or len(text) < 4 or entry.msgstr == text or re.search(r"[%{<]", text):
            continue
        strings.add(text)
    taxonomy = yaml.safe_load((FIXTURES / "brand" / "taxonomy.yaml").read_text(encoding="utf-8"))
    names = yaml.safe_load((FIXTURES / "translations" / "taxonomy.yaml").read_text(encoding="utf-8"))
    for kind in ("sectors", "cities"):
        for entry in taxonomy[kind]:
            translated = names[kind].get(entry["slug"], {}).get(language)
            if translated and translated != entry["name"]:
                strings.add(entry["name"])
    organisations = yaml.safe_load((FIXTURES / "translations" / "organisations.yaml").read_text(encoding="utf-8"))
    for entry in yaml.safe_load((FIXTURES / "brand" / "organisations.yaml").read_text(encoding="utf-8")):
        # Untranslated (Amazigh), a French name may show only marked as French.
        if organisations[entry["slug"]].get(language, {}).get("name") != entry["name"]:
            strings.add(entry["name"])
    brand = yaml.safe_load((FIXTURES / "brand" / "brand_page.yaml").read_text(encoding="utf-8"))
    strings.update(p["role"] for p in brand["partners"])
    return {s for s in strings if s not in SAME_EVERYWHERE}


def visible_text(document, language):
    """The text a visitor reads and hears, content in other languages left out."""
    for element in document.xpath("//body//*[@lang]"):
        if element.get("lang") != language:
            element.drop_tree()
    for element in document.xpath("//script|//style|//template"):
        element.drop_tree()
    spoken = document.xpath("//body//@aria-label|//body//@title|//body//@alt|//body//@placeholder")
    return " ".join([*document.xpath("//body//text()"), *spoken, *document.xpath("//head/title/text()")])


def crawl(client, language):
    """Every page reachable from the language's home without leaving it: {url: parsed page}."""
    seen, todo, pages = set(), [f"/{language}/", *(f"/{language}/{url}" for url in EXTRA_URLS)], {}
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        if not response["Content-Type"].startswith("text/html"):
            continue
        document = lxml_html.fromstring(response.content)
        pages[url] = document
        for href in document.xpath("//a/@href"):
            href = href.split("#")[0]
            if href.startswith(f"/{language}/") and "?" not in href and "/feed" not in href:
                todo.append(href)
    return pages


@pytest.fixture
def whole_site(db):
    """The site as `make run` builds it (sample startups included), with one article,
    event and startup translated: every page type exists in every language."""
    home, _sections = setup_site(demo=True)
    summary = import_paths([SEEDS_DIR])
    assert summary.failed == 0
    setup_events()
    for code, text in (("ar", "نص مترجم"), ("en", "Translated text"), ("zgh", "ⴰⴹⵔⵉⵙ ⵉⵜⵜⵓⵙⵓⵖⵍⵏ")):
        locale = Locale.objects.get(language_code=code)
        for model, fields in TRANSLATED_FIELDS.items():
            source = model.objects.filter(locale=Locale.get_default()).live().first()
            # Its parent's translation exists (setup_portal made it): the copy goes under it.
            translation = source.copy_for_translation(locale)
            # As a translator would leave it: its words in its language, none of the French.
            for name in fields:
                setattr(translation, name, f"{text} {len(name)}")
            for name, empty in (("body", []), ("description", "")):
                if hasattr(translation, name):
                    setattr(translation, name, empty)
            translation.save_revision().publish()
    return home


# What each language's site must reach: Amazigh has no brand page yet (its link leads to
# the French one), so no organisation pages.
REACHED = {
    "ar": ("actualites/", "evenements/", "organisations/add/", "startups/", "recherche/", "donnees-personnelles/"),
    "en": ("news/", "events/", "organisations/add/", "startups/", "recherche/", "personal-data/"),
    "zgh": ("actualites/", "evenements/", "startups/", "recherche/", "donnees-personnelles/"),
}


@pytest.mark.parametrize("language", ["ar", "en", "zgh"])
def test_the_site_in_each_language_shows_no_french_of_ours_and_its_links_stay_in_it(client, whole_site, language):
    french = french_of_ours(language)
    assert {"Secteur", "Intelligence artificielle", "Partenaire", "Agence de Développement du Digital"} <= french
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(s)}(?!\w)" for s in sorted(french, key=len, reverse=True)))
    pages = crawl(client, language)
    # Every page type was reached, the translated article, event and startup included.
    assert len(pages) >= (25 if language != "zgh" else 12)
    for kind in REACHED[language]:
        assert any(kind in url for url in pages), kind
    for model in TRANSLATED_FIELDS:
        translated = model.objects.get(locale__language_code=language)
        assert translated.url in pages, translated.url
    found, links_out = {}, {}
    for url, document in pages.items():
        text = visible_text(document, language)
        leaks = set(pattern.findall(text))
        if leaks:
            found[url] = sorted(leaks)
        # After visible_text, only what is in the page's language is left: no link of it may go to French.
        french_links = [href for href in document.xpath("//a/@href") if href.startswith("/fr/")]
        if french_links:
            links_out[url] = french_links
    assert found == {}
    assert links_out == {}

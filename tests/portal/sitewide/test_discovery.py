"""Feeds, sitemap, robots.txt, canonical URLs, structured data and sharing metadata."""

import csv
import datetime
import io
import json
import re
from pathlib import Path

import feedparser
import pytest
from defusedxml import ElementTree as ET
from django.conf import settings
from django.contrib.staticfiles import finders
from PIL import Image
from wagtail.models import PageViewRestriction

from portal.news.factories import ArticlePageFactory
from portal.news.models import ArticlePage

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1, blocks
    return json.loads(blocks[0])


def test_news_feed_parses_with_items_dates_and_authors(client, seeded):
    response = client.get("/fr/actualites/rss/")
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "MoroccoTech — actualités"
    assert feed.feed.language == "fr"
    titles = [entry.title for entry in feed.entries]
    assert titles[0] == "Une délégation marocaine rencontre les géants de la technologie aux États-Unis"
    assert len(titles) == 5
    by_title = {entry.title: entry for entry in feed.entries}
    interview = by_title['Ihsane Himmi : "Cette crise a accéléré la transformation numérique"']
    assert interview.published_parsed[:3] == (2020, 10, 22)
    assert interview.author == "Mariama Ndoye / Les ECO"
    assert interview.summary.startswith("Le rapport sur l'engagement numérique en 2020")
    assert (
        interview.link
        == "http://localhost/fr/actualites/ihsane-himmi-cette-crise-a-accelere-la-transformation-numerique/"
    )


def test_per_tag_feed(client, seeded):
    feed = feedparser.parse(client.get("/fr/actualites/rss/moroccotech/").content)
    assert sorted(e.title for e in feed.entries) == [
        "L'Opinion : Le défi de la Tech",
        'MoroccoTech : Coup d\'envoi de la marque digitale "made in Morocco"',
    ]
    feed = feedparser.parse(client.get("/fr/actualites/rss/transformation-numérique/").content)
    assert len(feed.entries) == 2
    assert client.get("/fr/actualites/rss/inconnu/").status_code == 404


def test_news_pages_advertise_their_feeds(client, seeded):
    html = client.get("/fr/actualites/?tag=moroccotech").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/fr/actualites/rss/"' in html
    assert 'href="/fr/actualites/rss/moroccotech/"' in html
    assert '<link rel="alternate" type="text/calendar"' in html
    article = ArticlePage.objects.get(import_file="002_4b9a60903dfe3b56.txt")
    assert 'type="application/rss+xml" title="Actualités MoroccoTech (RSS)" href="/fr/actualites/rss/"' in (
        client.get(article.url).content.decode()
    )


def test_feed_never_lists_drafts(client, seeded):
    ArticlePageFactory(parent=seeded["news"], title="Brouillon", live=False)
    feed = feedparser.parse(client.get("/fr/actualites/rss/").content)
    assert "Brouillon" not in [e.title for e in feed.entries]


def sitemap_urls(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        url.find("s:loc", SITEMAP_NS).text: url.find("s:lastmod", SITEMAP_NS)
        for url in root.findall("s:url", SITEMAP_NS)
    }


def test_sitemap_lists_every_live_public_page_and_no_other(client, seeded):
    draft = ArticlePageFactory(parent=seeded["news"], title="Brouillon", slug="brouillon", live=False)
    private = ArticlePageFactory(parent=seeded["news"], title="Réservé", slug="reserve")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    urls = sitemap_urls(client)
    article = ArticlePage.objects.get(import_file="001_8dab914a3b7b85a5.txt")
    assert f"http://localhost{article.url}" in urls
    assert urls[f"http://localhost{article.url}"] is not None  # lastmod
    for path in ("/fr/", "/fr/actualites/", "/fr/moroccotech/", "/fr/evenements/", "/fr/startups/",
                 "/fr/evenements/digital-now-2020/"):  # fmt: skip
        assert f"http://localhost{path}" in urls
    assert not any(draft.slug in url or private.slug in url for url in urls)
    from wagtail.models import Page

    live_public = Page.objects.live().public().filter(depth__gt=1).count()
    assert len(urls) == live_public


def test_robots_txt(client, portal_site):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Disallow: /admin/" in text
    assert "Disallow: /fr/recherche/" in text
    assert "Sitemap: http://localhost/sitemap.xml" in text


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("/fr/actualites/", "http://localhost/fr/actualites/"),
        ("/fr/actualites/?page=2", "http://localhost/fr/actualites/"),
        ("/fr/actualites/?tag=moroccotech", "http://localhost/fr/actualites/"),
        ("/fr/startups/?sector=fintech&city=rabat", "http://localhost/fr/startups/"),
        ("/fr/evenements/?format=online&page=3", "http://localhost/fr/evenements/"),
        ("/fr/moroccotech/organisations/apebi/", "http://localhost/fr/moroccotech/organisations/apebi/"),
    ],
)
def test_canonical_link_ignores_filters_and_pagination(client, seeded, url, canonical):
    html = client.get(url).content.decode()
    assert re.findall(r'<link rel="canonical" href="([^"]+)">', html) == [canonical]


def test_article_json_ld_and_sharing_meta(client, seeded):
    article = ArticlePage.objects.get(import_file="000_032a3364383af6b0.txt")
    html = client.get(article.url).content.decode()
    data = json_ld(html)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "L’innovation, fer de lance de la reprise"
    assert data["datePublished"] == "2020-12-17"
    assert data["sourceOrganization"] == {"@type": "NewsMediaOrganization", "name": "MAP Newsletters"}
    assert data["publisher"]["name"] == "MoroccoTech"
    assert data["isBasedOn"] == "https://mapnewsletters.ma/linnovation-fer-de-lance-de-la-reprise/"
    assert data["inLanguage"] == "fr"
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:locale" content="fr_MA">' in html
    assert '<meta property="og:title" content="L’innovation, fer de lance de la reprise">' in html
    assert '<meta property="og:description" content="L’innovation et la digitalisation' in html
    # The image drawn for it (portal.core.social_cards), large.
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'<meta property="og:image" content="http://localhost/partage/{article.pk}/' in html

    with_author = ArticlePage.objects.get(import_file="002_4b9a60903dfe3b56.txt")
    data = json_ld(client.get(with_author.url).content.decode())
    assert data["author"] == {"@type": "Person", "name": "Amine ATER"}


def test_editors_override_sharing_title_and_description(client, seeded):
    article = ArticlePage.objects.get(import_file="002_4b9a60903dfe3b56.txt")
    article.seo_title = "Le défi de la Tech marocaine"
    article.search_description = "L'éditorial de L'Opinion sur MoroccoTech."
    article.save_revision().publish()
    html = client.get(article.url).content.decode()
    assert '<meta property="og:title" content="Le défi de la Tech marocaine">' in html
    assert '<meta property="og:description" content="L&#x27;éditorial de L&#x27;Opinion sur MoroccoTech.">' in html


def test_event_json_ld_has_offsets_attendance_mode_location_and_organiser(client, seeded):
    data = json_ld(client.get("/fr/evenements/digital-now-2020/").content.decode())
    assert data["@type"] == "Event"
    assert data["startDate"] == "2020-12-15T00:00:00+01:00"
    assert data["endDate"] == "2020-12-16T23:59:59+01:00"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://digitalnow.ma"}
    assert [(o["@type"], o["name"]) for o in data["organizer"]] == [
        ("Organization", "Club des dirigeants du Maroc")
    ]
    mission = json_ld(client.get("/fr/evenements/mission-etats-unis-2024/").content.decode())
    assert mission["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert mission["location"]["@type"] == "Place"
    assert mission["location"]["address"]["addressCountry"] == "États-Unis"
    launch = json_ld(client.get("/fr/evenements/lancement-moroccotech/").content.decode())
    assert launch["location"] == {"@type": "VirtualLocation"}


def test_organisation_startup_and_home_json_ld(client, seeded):
    data = json_ld(client.get("/fr/moroccotech/organisations/apebi/").content.decode())
    assert (data["@type"], data["alternateName"], data["url"]) == (
        "Organization",
        "APEBI",
        "https://www.apebi.org.ma",
    )

    from brand.factories import StartupPageFactory

    startup = StartupPageFactory(parent=seeded["StartupIndexPage"], title="Dirham Pay", founded_year=2020,
                                 website="https://dirham.example", linkedin_url="https://linkedin.example/dp")  # fmt: skip
    data = json_ld(client.get(startup.url).content.decode())
    assert data["@type"] == "Organization"
    assert (data["name"], data["foundingDate"], data["url"]) == ("Dirham Pay", "2020", "https://dirham.example")
    assert data["sameAs"] == ["https://linkedin.example/dp"]

    home = json_ld(client.get("/fr/").content.decode())
    assert home["@type"] == "WebSite"
    assert home["potentialAction"]["@type"] == "SearchAction"
    assert (
        home["potentialAction"]["target"]["urlTemplate"] == "http://localhost/fr/recherche/?q={search_term_string}"
    )


def test_json_ld_cannot_be_closed_by_content(client, seeded):
    article = ArticlePage.objects.get(import_file="002_4b9a60903dfe3b56.txt")
    article.title = "Titre </script><script>alert(1)</script>"
    article.save_revision().publish()
    html = client.get(article.url).content.decode()
    assert "</script><script>alert(1)" not in html
    assert json_ld(html)["headline"] == "Titre </script><script>alert(1)</script>"


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_startup_csv_matches_the_filtered_listing(client, seeded):
    from brand.factories import StartupPageFactory
    from brand.models import City, Sector

    fintech, agritech = (
        Sector.objects.get(slug="fintech", locale__language_code="fr"),
        Sector.objects.get(slug="agritech", locale__language_code="fr"),
    )
    rabat = City.objects.get(slug="rabat", locale__language_code="fr")
    index = seeded["StartupIndexPage"]
    StartupPageFactory(parent=index, title='=HYPERLINK("http://evil")', sectors=[fintech], city=rabat)
    StartupPageFactory(parent=index, title="Dirham Pay", sectors=[fintech], city=rabat)
    StartupPageFactory(parent=index, title="Argan Farm", sectors=[agritech], city=rabat)
    listing = client.get("/fr/startups/?sector=fintech&city=rabat")
    rows = read_csv(client.get("/fr/startups/csv/?sector=fintech&city=rabat"))
    assert [r["nom"] for r in rows] == ["'" + s.title if s.title.startswith("=") else s.title
                                        for s in listing.context["startups"]]  # fmt: skip
    assert rows[0]["nom"] == '\'=HYPERLINK("http://evil")'
    assert rows[1]["secteurs"] == "Fintech" and rows[1]["ville"] == "Rabat"
    assert 'href="/fr/startups/csv/?sector=fintech&amp;city=rabat"' in listing.content.decode()


def test_events_csv_matches_the_filtered_listing(client, seeded):
    rows = read_csv(client.get("/fr/evenements/csv/?format=online"))
    assert [r["titre"] for r in rows] == ["Lancement de la marque MoroccoTech"]
    assert rows[0]["debut"] == "2022-01-14T00:00:00+01:00"
    assert rows[0]["organisateurs"] == "Ministère de la Transition numérique et de la Réforme de l'Administration"
    rows = read_csv(client.get("/fr/evenements/csv/"))
    assert len(rows) == 3


def test_dates_in_feed_are_the_source_day(client, seeded):
    feed = feedparser.parse(client.get("/fr/actualites/rss/").content)
    launch = next(e for e in feed.entries if e.title.startswith("MoroccoTech"))
    assert datetime.date(*launch.published_parsed[:3]) == datetime.date(2022, 1, 14)


def test_sitemap_lists_every_language(client, multilingual):
    urls = sitemap_urls(client)
    for url in ("/fr/", "/en/", "/ar/", "/fr/actualites/", "/en/news/", "/ar/actualites/", "/en/moroccotech/",
                "/ar/evenements/", "/en/startups/join/"):  # fmt: skip
        assert f"http://localhost{url}" in urls


def test_browsers_find_the_portals_icons_and_manifest(client, portal_site):
    # Where browsers and feed readers look first, whatever the page says.
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and "max-age=86400" in response["Cache-Control"]
    icon = finders.find(response["Location"].removeprefix(settings.STATIC_URL))
    with Image.open(icon) as image:
        assert image.format == "ICO" and (32, 32) in image.info["sizes"]
    html = client.get("/fr/").content.decode()
    links = dict(re.findall(r'<link rel="(icon|apple-touch-icon|manifest)" href="([^"]+)"', html))
    assert set(links) == {"icon", "apple-touch-icon", "manifest"}
    manifest = json.loads(Path(finders.find("portal/icons/manifest.webmanifest")).read_text(encoding="utf-8"))
    assert manifest["start_url"] == "/fr/" and manifest["theme_color"] == "#c1272d"
    for entry in manifest["icons"]:
        # Each icon the manifest names exists, at the size it says.
        path = finders.find(f"portal/icons/{entry['src']}")
        assert path, entry
        if entry["type"] == "image/png":
            with Image.open(path) as image:
                assert f"{image.width}x{image.height}" == entry["sizes"]
    assert "Disallow: /zgh/recherche/" in client.get("/robots.txt").content.decode()

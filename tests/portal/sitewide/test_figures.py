"""The ecosystem in figures: exact counts from live content, accessible SVG, CSV (issue #9)."""

import collections
import csv
import datetime
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brand.factories import CityFactory, SectorFactory, StartupPageFactory
from brand.models import Organisation
from events.factories import EventPageFactory
from events.models import portal_timezone
from portal.news.factories import ArticlePageFactory

SVG = "{http://www.w3.org/2000/svg}"
# Exact, measured: eight grouped counts plus the page, site and header.
FIGURES_QUERIES = 29


@pytest.fixture
def known(portal_site):
    """A small ecosystem whose numbers are known by construction."""
    fintech, agritech = (
        SectorFactory(name="Fintech", slug="fintech"),
        SectorFactory(name="Agritech", slug="agritech"),
    )
    casa, rabat = CityFactory(name="Casablanca", slug="casablanca"), CityFactory(name="Rabat", slug="rabat")
    directory = portal_site["StartupIndexPage"]
    StartupPageFactory(parent=directory, sectors=[fintech], city=casa, member_since=datetime.date(2022, 3, 1))
    StartupPageFactory(
        parent=directory, sectors=[fintech, agritech], city=casa, member_since=datetime.date(2023, 1, 9)
    )
    # Its profile last verified more than a year ago.
    StartupPageFactory(
        parent=directory,
        sectors=[agritech],
        city=rabat,
        member_since=datetime.date(2023, 6, 1),
        verified_at=timezone.now() - datetime.timedelta(days=400),
    )
    # Not counted: a draft.
    StartupPageFactory(
        parent=directory, sectors=[fintech], city=rabat, member_since=datetime.date(2023, 1, 1), live=False
    )
    events = portal_site["EventIndexPage"]
    tz = portal_timezone()
    EventPageFactory(
        parent=events, starts_at=datetime.datetime(2024, 5, 1, 9, tzinfo=tz), event_format="in_person"
    )
    EventPageFactory(parent=events, starts_at=datetime.datetime(2024, 9, 1, 9, tzinfo=tz), event_format="online")
    EventPageFactory(
        parent=events, starts_at=datetime.datetime(2025, 2, 1, 9, tzinfo=tz), event_format="in_person"
    )
    EventPageFactory(parent=events, starts_at=datetime.datetime(2025, 3, 1, 9, tzinfo=tz), live=False)
    news = portal_site["news"]
    for day in (3, 17):
        ArticlePageFactory(parent=news, published_on=datetime.date(2022, 1, day))
    ArticlePageFactory(parent=news, published_on=datetime.date(2022, 3, 5))
    ArticlePageFactory(parent=news, published_on=datetime.date(2022, 3, 6), live=False)
    return portal_site


def charts_of(response):
    return {chart.key: chart for chart, _svg in response.context["charts"]}


def test_counts_match_the_database_exactly(client, known):
    response = client.get(known["FiguresPage"].url)
    assert response.status_code == 200
    charts = charts_of(response)
    counts = lambda key: [(label, count) for label, count, _url in charts[key].rows]  # noqa: E731
    assert counts("sectors") == [("Agritech", 2), ("Fintech", 2)]
    assert counts("cities") == [("Casablanca", 2), ("Rabat", 1)]
    assert counts("members") == [("2022", 1), ("2023", 2)]
    assert counts("verified") == [("Vérifiées", 2), ("À revérifier", 1)]
    assert counts("event_years") == [("2024", 2), ("2025", 1)]
    assert dict(counts("event_formats")) == {"En présentiel": 2, "En ligne": 1}
    assert [count for _label, count in counts("articles")] == [2, 1]
    kinds = collections.Counter(
        Organisation.objects.filter(locale=known["home"].locale).values_list("kind", flat=True)
    )
    labels = dict(Organisation.Kind.choices)
    assert dict(counts("organisations")) == {str(labels[kind]): n for kind, n in kinds.items()}


def test_each_chart_is_svg_with_a_title_and_links_to_what_it_counts(client, known):
    html = client.get(known["FiguresPage"].url).content.decode()
    svgs = re.findall(r'<svg [^>]*class="chart".*?</svg>', html, re.S)  # the logo's mark aside
    assert len(svgs) == 8
    for markup in svgs:
        root = ET.fromstring(markup)  # noqa: S314 (our own markup: the test is that it is well-formed XML)
        assert root.get("role") == "group"
        title = root.find(f"{SVG}title")
        assert title is not None and title.text
        assert title.get("id") in root.get("aria-labelledby").split()
    assert 'href="/fr/startups/?sector=fintech"' in html
    assert 'href="/fr/startups/?city=rabat"' in html
    assert 'href="/fr/evenements/?format=online"' in html
    assert 'href="/fr/evenements/?year=2024"' in html
    assert 'href="/fr/moroccotech/organisations/#kind-ministry"' in html
    # The numbers are also a table beside each chart.
    assert html.count('<table class="chart-block__table">') == 8


def test_the_numbers_download_as_csv(client, known):
    response = client.get(known["FiguresPage"].url + "csv/")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["graphique", "libelle", "nombre"]
    assert ["sectors", "Fintech", "2"] in rows and ["cities", "Rabat", "1"] in rows


def test_the_page_exists_in_every_language(client, multilingual):
    for language in ("fr", "ar", "en", "zgh"):
        home = client.get(f"/{language}/")
        assert home.status_code == 200
    from portal.sitewide.models import FiguresPage

    pages = {page.locale.language_code: page for page in FiguresPage.objects.select_related("locale")}
    assert set(pages) == {"fr", "ar", "en", "zgh"}
    html = client.get(pages["ar"].url).content.decode()
    assert 'dir="rtl"' in html and "<svg" in html


def test_the_figures_cost_the_same_queries_whatever_the_content(client, known):
    url = known["FiguresPage"].url

    def count():
        client.get(url)
        cache.clear()  # what computing the figures costs, not reading them from the cache
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    small = count()
    directory = known["StartupIndexPage"]
    for n in range(10):
        StartupPageFactory(parent=directory, sectors=[SectorFactory()], city=CityFactory())
        ArticlePageFactory(parent=known["news"], published_on=datetime.date(2020, 1 + n, 1))
    assert count() == small == FIGURES_QUERIES

"""The member-startup directory: filters, counts, pagination, empty state, query budget."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brand.factories import CityFactory, SectorFactory, StartupPageFactory
from brand.models import City, Sector
from brand.models.startups import STARTUPS_PER_PAGE

URL = "/fr/startups/"


@pytest.fixture
def directory(portal_site):
    """Five startups with known facts, besides the taxonomy setup loads."""
    index = portal_site["StartupIndexPage"]
    s = {
        slug: Sector.objects.get(slug=slug, locale__language_code="fr")
        for slug in ("agritech", "fintech", "big-data")
    }
    c = {
        slug: City.objects.get(slug=slug, locale__language_code="fr") for slug in ("casablanca", "agadir", "rabat")
    }
    rows = [
        ("Argan Capteurs", [s["agritech"], s["big-data"]], c["agadir"], "seed"),
        ("Dirham Pay", [s["fintech"]], c["casablanca"], "series_a"),
        ("Casa Ledger", [s["fintech"], s["big-data"]], c["casablanca"], "seed"),
        ("Oasis Farm", [s["agritech"]], c["agadir"], "growth"),
        ("Rabat Data Lab", [s["big-data"]], c["rabat"], "idea"),
    ]
    for title, sectors, city, stage in rows:
        StartupPageFactory(parent=index, title=title, sectors=sectors, city=city, stage=stage)
    return index


def titles(response):
    return [s.title for s in response.context["startups"]]


def counts(response, facet):
    return {slug: n for slug, _name, n in response.context["facets"][facet] if n}


def test_unfiltered_directory_lists_all_with_counts(client, directory):
    response = client.get(URL)
    assert titles(response) == ["Argan Capteurs", "Casa Ledger", "Dirham Pay", "Oasis Farm", "Rabat Data Lab"]
    assert counts(response, "sector") == {"agritech": 2, "fintech": 2, "big-data": 3}
    assert counts(response, "city") == {"agadir": 2, "casablanca": 2, "rabat": 1}
    assert counts(response, "stage") == {"seed": 2, "series_a": 1, "growth": 1, "idea": 1}
    html = response.content.decode()
    assert '<option value="big-data">Big data (3)</option>' in html
    assert "5 startups" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sector=fintech", ["Casa Ledger", "Dirham Pay"]),
        ("city=agadir", ["Argan Capteurs", "Oasis Farm"]),
        ("stage=seed", ["Argan Capteurs", "Casa Ledger"]),
        ("q=ledger", ["Casa Ledger"]),
        ("sector=big-data&city=casablanca", ["Casa Ledger"]),
        ("sector=agritech&city=agadir&stage=growth", ["Oasis Farm"]),
        ("sector=fintech&q=pay", ["Dirham Pay"]),
    ],
)
def test_filters_alone_and_combined(client, directory, query, expected):
    assert titles(client.get(f"{URL}?{query}")) == expected


def test_counts_follow_the_other_filters(client, directory):
    response = client.get(f"{URL}?city=casablanca")
    # Within Casablanca: two fintechs, one big data; the city facet still counts every city.
    assert counts(response, "sector") == {"fintech": 2, "big-data": 1}
    assert counts(response, "city") == {"agadir": 2, "casablanca": 2, "rabat": 1}
    assert counts(response, "stage") == {"seed": 1, "series_a": 1}
    assert '<option value="casablanca" selected>Casablanca (2)</option>' in response.content.decode()


def test_empty_result_says_so_and_offers_to_clear(client, directory):
    response = client.get(f"{URL}?sector=fintech&city=agadir")
    assert titles(response) == []
    html = response.content.decode()
    assert "Aucune startup ne correspond à ces critères." in html
    assert 'href="/fr/startups/">Effacer les filtres et voir toutes les startups' in html


@pytest.mark.parametrize(
    "query",
    ["stage=unknown", "sector=%00", "city=" + "x" * 3000, "q=%27%22%3B--", "page=-1", "page=abc",
     "sector=a&sector=b", "q=%00%01"],
)  # fmt: skip
def test_weird_parameters_give_a_normal_page(client, directory, query):
    assert client.get(f"{URL}?{query}").status_code == 200


def test_pagination_keeps_the_filters_in_a_shareable_url(client, portal_site):
    sector = SectorFactory(slug="edtech-test", name="Edtech test")
    for n in range(STARTUPS_PER_PAGE + 2):
        StartupPageFactory(parent=portal_site["StartupIndexPage"], title=f"École {n:03}", sectors=[sector])
    first = client.get(f"{URL}?sector=edtech-test")
    assert len(first.context["startups"]) == STARTUPS_PER_PAGE
    assert 'href="?sector=edtech-test&amp;page=2"' in first.content.decode()
    second = client.get(f"{URL}?sector=edtech-test&page=2")
    assert titles(second) == [f"École {n:03}" for n in (24, 25)]


def test_a_draft_startup_is_invisible_to_visitors(client, portal_site):
    draft = StartupPageFactory(parent=portal_site["StartupIndexPage"], title="Brouillon Secret", live=False)
    assert "Brouillon Secret" not in client.get(URL).content.decode()
    assert client.get(draft.url or "/fr/startups/brouillon/").status_code == 404
    assert client.get(f"/fr/startups/{draft.slug}/").status_code == 404


def test_startup_page_links_back_to_the_filtered_directory(client, directory):
    page = directory.get_children().get(title="Casa Ledger").specific
    html = client.get(page.url).content.decode()
    assert 'href="/fr/startups/?sector=fintech"' in html
    assert 'href="/fr/startups/?city=casablanca"' in html
    assert 'href="/fr/startups/?stage=seed"' in html
    assert "Exemple fictif" not in html


def test_sample_startups_say_so(client, portal_site):
    sample = StartupPageFactory(parent=portal_site["StartupIndexPage"], title="Atlas (exemple)", is_sample=True)
    assert "cette entreprise n'existe pas" in client.get(sample.url).content.decode()


def query_count(client, url):
    client.get(url)  # a first visit also creates rows (the site's settings)
    # Then every cache emptied: what rendering the page costs (tests/portal/test_query_counts.py has both).
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


QUERIES = ["", "?sector=fintech", "?sector=fintech&city=casa&stage=seed&q=a&page=2"]


def test_directory_query_count_is_the_same_with_10_and_500_startups(client, portal_site):
    index = portal_site["StartupIndexPage"]
    sectors = [SectorFactory(slug=slug) for slug in ("fintech", "agritech", "edtech")]
    cities = [CityFactory(slug=slug) for slug in ("casa", "rabat")]

    def add(n):
        for i in range(n):
            StartupPageFactory(
                parent=index, sectors=sectors[: 1 + i % 3], city=cities[i % 2], stage=("seed", "growth")[i % 2]
            )

    add(10)
    with_10 = [query_count(client, URL + query) for query in QUERIES]
    add(490)
    with_500 = [query_count(client, URL + query) for query in QUERIES]
    assert with_500 == with_10 == [27, 27, 27]


def test_a_startup_made_private_leaves_the_counts_at_once(client, directory):
    from wagtail.models import PageViewRestriction

    def fintech_count():
        facets = client.get(URL).context["facets"]
        return {slug: count for slug, _name, count in facets["sector"]}["fintech"]

    assert fintech_count() == 2
    assert fintech_count() == 2  # cached
    dirham = directory.get_children().get(title="Dirham Pay")
    PageViewRestriction.objects.create(page=dirham, restriction_type=PageViewRestriction.LOGIN)
    assert fintech_count() == 1
    assert "Dirham Pay" not in titles(client.get(URL))

"""SQL queries per public page: within its budget, the same with 10 and with 1,000 items of each kind (#8).

With the whole-page cache off, each page is counted twice: with every cache
empty (what the first visit after a publish costs: everything a page is made
of read from the database) and on the next request (warm: the site, the
route, the header, listings and cards come from the cache, as on a running
server between two publishes). Both must not grow with the content.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag
from wagtail.models import Page

from brand.models import Organisation, StartupPage
from events.models import EventPage
from portal.news.models import ArticlePage
from portal.sitewide import search_hits
from portal.tooling.generate import GENERATED_SLUG_PREFIX, generate

MAX_QUERIES = 15

# The budget of each page type, in one table: (at most with every cache empty, at most warm).
BUDGET = {
    # Warm, a page costs one query: its own row, checked to be still live and at
    # the same revision (portal.core.cache.routing); the rest comes from the cache.
    "home": (22, 1),
    "news index": (23, 1),
    "news tag filter": (24, 1),
    # Cold, the article and its side column: related articles, the newer and the older one (3).
    "article": (24, 1),
    "events index": (23, 1),
    "events filtered": (23, 1),
    "event": (26, 1),
    "startups directory": (27, 1),
    "startups by sector": (27, 1),
    "startups by city and stage": (27, 1),
    "startups text filter": (27, 1),
    "startup": (23, 1),
    "organisation": (22, 1),
    "organisations list": (19, 1),
    # Cold, the partners' logos (setup draws monograms) and their renditions: two.
    "brand": (25, 1),
    # Warm, a search repeated costs none: its ranking, promotions and results'
    # HTML come from the cache, and its count is written later (portal.sitewide.search_hits).
    "search in articles": (15, 0),
    # Cold, plus one query per kind of page shown (at most 5).
    "search in everything": (15, 0),
    "figures": (29, 1),
}


def urls():
    first = {
        model: model.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX).order_by("pk").first()
        for model in (ArticlePage, EventPage, StartupPage, Organisation)
    }
    startup = first[StartupPage]
    sector = startup.sectors.first()
    tag = Tag.objects.filter(articlepage__isnull=False).order_by("pk").first()
    # Filters that match something at both sizes: an empty page skips the card queries.
    return {
        "home": "/fr/",
        "news index": "/fr/actualites/",
        "news tag filter": f"/fr/actualites/?tag={tag.slug}",
        "article": first[ArticlePage].url,
        "events index": "/fr/evenements/",
        "events filtered": "/fr/evenements/?format=online&year=2022",
        "event": first[EventPage].url,
        "startups directory": "/fr/startups/",
        "startups by sector": f"/fr/startups/?sector={sector.slug}",
        "startups by city and stage": f"/fr/startups/?city={startup.city.slug}&stage={startup.stage}",
        "startups text filter": f"/fr/startups/?q={startup.title.split()[0]}",
        "startup": startup.url,
        "organisation": f"/fr/moroccotech/organisations/{first[Organisation].slug}/",
        "organisations list": "/fr/moroccotech/organisations/",
        "brand": "/fr/moroccotech/",
        "search in articles": "/fr/recherche/?q=fictif&type=articles",
        "search in everything": "/fr/recherche/?q=fictif",
        "figures": "/fr/ecosysteme-en-chiffres/",
    }


def measure(client, name, url, cold):
    # Searches are counted in the process and written once a minute: a write falling due
    # inside the measure (the test run past a minute) is not what the page costs.
    search_hits.flush()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    count = len(queries)
    if name == "search in everything":
        # Read after the response (lazily, when the results' HTML came from the cache).
        shown = [item["object"] for item in response.context["items"]]
        assert len(shown) == 20, "the search should fill its first page"
        kinds = {type(obj) for obj in shown if isinstance(obj, Page)}
        if cold:
            # Pages shown are loaded as their own type: one query per type.
            count -= len(kinds)
    return count


def count_all(client):
    """{page: (queries with every cache empty, queries once warm)}."""
    counts = {}
    for name, url in urls().items():
        # Once first: a first visit ever also creates rows (the site's settings, a search term's counter).
        client.get(url)
        cache.clear()
        cold = measure(client, name, url, cold=True)
        counts[name] = (cold, measure(client, name, url, cold=False))
    return counts


@pytest.mark.django_db
def test_every_public_page_costs_the_same_queries_with_10_and_1000_items(client, portal_site):
    generate(articles=10, events=10, startups=10, organisations=10, seed=1)
    with_10 = count_all(client)
    generate(articles=990, events=990, startups=990, organisations=990, seed=2)
    assert ArticlePage.objects.count() == EventPage.objects.count() == StartupPage.objects.count() == 1000
    with_1000 = count_all(client)
    # Not one query more for a hundred times the content.
    assert with_10 == with_1000
    over = {
        name: (counts, BUDGET[name])
        for name, counts in with_1000.items()
        if any(count > budget for count, budget in zip(counts, BUDGET[name], strict=True))
    }
    assert not over, f"over budget (measured, budget): {over}"
    assert set(with_1000) == set(BUDGET)
    assert max(warm for _cold, warm in with_1000.values()) <= MAX_QUERIES

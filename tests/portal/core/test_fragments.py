"""Cached HTML fragments (portal_tags.cached_fragment): the header, the footer and listings (#8).

A fragment is rendered once per language, host, page template and the
values it names, then read from the cache until something it read changes.
These tests show each of those keys at work, and that nothing is shown stale.
"""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.template import Context, Template, TemplateSyntaxError
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from events.factories import EventPageFactory
from events.models import portal_timezone
from portal.core.cache import purge
from portal.news.factories import ArticlePageFactory


class Counter:
    """Renders as how many times it was rendered: shows whether a fragment was rendered again."""

    def __init__(self):
        self.count = 0

    def __str__(self):
        self.count += 1
        return str(self.count)


FRAGMENT = Template(
    '{% load portal_tags %}{% cached_fragment "test" value %}{{ counter }}{% endcached_fragment %}'
)


@pytest.fixture
def render(rf, db):
    counter = Counter()

    def render(value, template=FRAGMENT, request=True):
        context = {"counter": counter, "value": value}
        if request:
            context["request"] = rf.get("/fr/")
        return template.render(Context(context))

    return render


def test_a_fragment_is_rendered_once_per_value(render):
    assert render("a") == "1"
    assert render("a") == "1"
    assert render("b") == "2"
    assert render("a") == "1"


def test_a_fragment_is_rendered_again_once_what_it_depends_on_changed(render):
    assert render("a") == "1"
    purge()
    assert render("a") == "2"


def test_a_record_named_by_a_fragment_is_one_of_its_dependencies(render):
    tag = Tag.objects.create(name="Cybersécurité", slug="cybersecurite")
    other = Tag.objects.create(name="Cloud", slug="cloud")
    assert render(tag) == "1"
    assert render(tag) == "1"
    assert render(other) == "2"
    tag.name = "Sécurité numérique"
    tag.save()
    assert render(tag) == "3"
    assert render(other) == "2"


def test_a_fragment_with_a_timeout_is_rendered_again_when_it_passes(render):
    template = Template(
        '{% load portal_tags %}{% cached_fragment "test" value timeout=60 %}{{ counter }}{% endcached_fragment %}'
    )
    start = datetime.datetime(2030, 1, 1, 12, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        assert render("a", template) == "1"
    with time_machine.travel(start + datetime.timedelta(seconds=59), tick=False):
        assert render("a", template) == "1"
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        assert render("a", template) == "2"


def test_without_a_request_a_fragment_is_rendered_each_time(render):
    # The error pages render without one: nothing to key the fragment by.
    assert render("a", request=False) == "1"
    assert render("a", request=False) == "2"


@pytest.mark.parametrize(
    "source",
    [
        "{% load portal_tags %}{% cached_fragment %}x{% endcached_fragment %}",
        '{% load portal_tags %}{% cached_fragment "x" timeout=soon %}x{% endcached_fragment %}',
        '{% load portal_tags %}{% cached_fragment "x" %}never closed',
    ],
)
def test_a_malformed_fragment_tag_is_a_template_error(source):
    with pytest.raises(TemplateSyntaxError):
        Template(source)


def current_menu_item(html):
    return re.findall(r'<a href="([^"]+)"[^>]*aria-current="true"', html)


def test_each_section_marks_its_own_menu_item_although_the_header_is_cached(client, portal_site):
    news, events = portal_site["news"].url, portal_site["EventIndexPage"].url
    assert current_menu_item(client.get(news).content.decode()) == [news]
    assert current_menu_item(client.get(events).content.decode()) == [events]
    assert current_menu_item(client.get(news).content.decode()) == [news]
    assert current_menu_item(client.get("/fr/").content.decode()) == []


def test_a_news_listing_shows_an_article_published_after_it_was_cached(client, portal_site):
    news = portal_site["news"]
    ArticlePageFactory(parent=news, title="Premier article en cache")
    assert "Premier article en cache" in client.get(news.url).content.decode()
    ArticlePageFactory(parent=news, title="Publié ensuite")
    html = client.get(news.url).content.decode()
    assert "Publié ensuite" in html and "Premier article en cache" in html


def test_an_unknown_tag_does_not_get_the_unfiltered_listing_from_the_cache(client, portal_site):
    news = portal_site["news"]
    ArticlePageFactory(parent=news, title="Article sans rapport", tags=["fintech"])
    assert "Article sans rapport" in client.get(news.url).content.decode()
    html = client.get(news.url, {"tag": "theme-inconnu"}).content.decode()
    assert "Article sans rapport" not in html and "Aucun article ne correspond." in html
    html = client.get(news.url, {"tag": "fintech"}).content.decode()
    assert "Article sans rapport" in html


def test_an_unknown_tag_is_not_kept_in_the_cache(client, portal_site, django_user_model):
    """Anyone can make up tags: each would otherwise take a cache entry. A known one is looked up once."""
    # Signed in: no whole-page cache, so each request looks the tag up or finds it cached.
    client.force_login(django_user_model.objects.create_user("lectrice"))
    Tag.objects.create(name="Thème existant", slug="theme-existant")

    def tag_lookups(slug):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(portal_site["news"].url, {"tag": slug}).status_code == 200
        return sum('"taggit_tag"."slug" = ' in query["sql"] for query in queries.captured_queries)

    assert all(tag_lookups("theme-invente") for _ in range(2))
    assert tag_lookups("theme-existant") and not tag_lookups("theme-existant")


def test_the_pages_of_a_listing_are_kept_apart(client, portal_site):
    news = portal_site["news"]
    for n in range(13):
        ArticlePageFactory(
            parent=news, title=f"Article numéro {n:02d}", published_on=datetime.date(2024, 1, n + 1)
        )
    first = client.get(news.url).content.decode()
    second = client.get(news.url, {"page": 2}).content.decode()
    assert "Article numéro 12" in first and "Article numéro 12" not in second
    assert "Article numéro 00" in second and "Article numéro 00" not in first


def test_an_event_moves_from_upcoming_to_past_within_a_minute_of_its_end(client, portal_site):
    events = portal_site["EventIndexPage"]
    tz = portal_timezone()
    EventPageFactory(
        parent=events,
        title="Atelier bientôt fini",
        starts_at=datetime.datetime(2031, 3, 2, 9, tzinfo=tz),
        ends_at=datetime.datetime(2031, 3, 2, 12, tzinfo=tz),
    )

    def section(html):
        upcoming = html.split('id="upcoming-title"')[1].split('id="archive-title"')[0]
        return "upcoming" if "Atelier bientôt fini" in upcoming else "past"

    with time_machine.travel(datetime.datetime(2031, 3, 2, 11, 59, tzinfo=tz), tick=False):
        assert section(client.get(events.url).content.decode()) == "upcoming"
    with time_machine.travel(datetime.datetime(2031, 3, 2, 12, 1, 1, tzinfo=tz), tick=False):
        assert section(client.get(events.url).content.decode()) == "past"


def test_the_cached_home_sections_follow_publishing_and_record_edits(client, portal_site):
    from brand.factories import OrganisationFactory

    brand = portal_site["BrandPage"]
    partner = OrganisationFactory(name="Partenaire historique")
    brand.partners.create(organisation=partner)
    brand.save_revision().publish()
    html = client.get("/fr/").content.decode()
    assert "Partenaire historique" in html and "Nouvelle du jour" not in html
    ArticlePageFactory(
        parent=portal_site["news"], title="Nouvelle du jour", published_on=datetime.date(2031, 1, 1)
    )
    partner.name = "Partenaire renommé"
    partner.save()
    html = client.get("/fr/").content.decode()
    assert "Nouvelle du jour" in html and "Partenaire renommé" in html and "Partenaire historique" not in html

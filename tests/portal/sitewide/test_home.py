"""The home page: a hero and sections editors order and switch off, from live content only (issue #9)."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from brand.factories import StartupPageFactory
from events.factories import EventPageFactory
from portal.news.factories import ArticlePageFactory
from portal.sitewide.home import DEFAULT_SECTIONS
from portal.sitewide.models import HomePage


def section_order(html):
    return re.findall(r'class="home-section home-section--(\w+)"', html)


def section_html(html, kind):
    match = re.search(rf'<section class="home-section home-section--{kind}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def set_sections(home, sections):
    home = HomePage.objects.get(pk=home.pk)
    home.sections = sections
    home.save_revision().publish()
    return home


@pytest.fixture
def startups(portal_site):
    return portal_site["StartupIndexPage"]


def test_setup_gives_the_home_its_default_sections_in_every_language(client, multilingual):
    for language in ("fr", "ar", "en"):
        html = client.get(f"/{language}/").content.decode()
        assert section_order(html)[:3] == ["latest_news", "upcoming_events", "featured_startups"], language
    assert [kind for kind, _value in DEFAULT_SECTIONS] == [
        "latest_news",
        "upcoming_events",
        "featured_startups",
        "key_figures",
        "partners",
    ]


def test_sections_show_live_content_only(client, portal_site, startups):
    news = portal_site["news"]
    ArticlePageFactory(parent=news, title="Article publié")
    ArticlePageFactory(parent=news, title="Article brouillon", live=False)
    private = ArticlePageFactory(parent=news, title="Article privé")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    soon = timezone.now() + datetime.timedelta(days=3)
    EventPageFactory(parent=portal_site["EventIndexPage"], title="Forum publié", starts_at=soon)
    EventPageFactory(parent=portal_site["EventIndexPage"], title="Forum brouillon", starts_at=soon, live=False)
    StartupPageFactory(parent=startups, title="Startup publiée")
    StartupPageFactory(parent=startups, title="Startup brouillon", live=False)
    html = client.get("/fr/").content.decode()
    for shown in ("Article publié", "Forum publié", "Startup publiée"):
        assert shown in html
    for hidden in ("Article brouillon", "Article privé", "Forum brouillon", "Startup brouillon"):
        assert hidden not in html


def test_editors_reorder_and_switch_off_sections(client, portal_site):
    ArticlePageFactory(parent=portal_site["news"], title="Une actualité")
    set_sections(
        portal_site["home"],
        [
            ("upcoming_events", {"show": True, "heading": "Agenda", "count": 3}),
            ("latest_news", {"show": False, "heading": "", "count": 3, "articles": []}),
            ("featured_startups", {"show": True, "heading": "", "count": 3, "startups": []}),
        ],
    )
    html = client.get("/fr/").content.decode()
    assert section_order(html) == ["upcoming_events", "featured_startups"]
    assert "Agenda" in html
    assert "Une actualité" not in html


def test_no_upcoming_event_says_so_and_links_to_the_archive(client, portal_site):
    past = timezone.now() - datetime.timedelta(days=30)
    EventPageFactory(parent=portal_site["EventIndexPage"], title="Passé", starts_at=past, ends_at=past)
    html = section_html(client.get("/fr/").content.decode(), "upcoming_events")
    assert "Aucun événement n’est programmé" in html
    assert 'href="/fr/evenements/"' in html
    assert "Passé" not in html


def test_latest_news_shows_the_newest_or_the_hand_picked_in_order(client, portal_site):
    news = portal_site["news"]
    old = ArticlePageFactory(parent=news, title="Ancien", published_on=datetime.date(2019, 1, 1))
    draft = ArticlePageFactory(parent=news, title="Brouillon choisi", live=False)
    for n in range(5):
        ArticlePageFactory(parent=news, title=f"Récent {n}", published_on=datetime.date(2024, 1, 1 + n))
    html = section_html(client.get("/fr/").content.decode(), "latest_news")
    assert re.findall(r"Récent \d", html) == ["Récent 4", "Récent 3", "Récent 2"]
    assert "Ancien" not in html
    recent = HomePage.objects.get(pk=portal_site["home"].pk)
    picked = [old, draft, *news.get_children().filter(title="Récent 0")]
    set_sections(recent, [("latest_news", {"show": True, "heading": "", "count": 3, "articles": picked})])
    html = section_html(client.get("/fr/").content.decode(), "latest_news")
    titles = re.findall(r'<h3 class="card__title"><a [^>]*>([^<]+)</a>', html)
    assert titles == ["Ancien", "Récent 0"]  # the draft is never shown, even when picked


def test_featured_startups_hand_picked_or_newest_members(client, portal_site, startups):
    first = StartupPageFactory(parent=startups, title="Première", member_since=datetime.date(2020, 1, 1))
    StartupPageFactory(parent=startups, title="Dernière", member_since=datetime.date(2025, 1, 1))
    html = section_html(client.get("/fr/").content.decode(), "featured_startups")
    assert html.index("Dernière") < html.index("Première")
    set_sections(
        portal_site["home"],
        [("featured_startups", {"show": True, "heading": "", "count": 3, "startups": [first]})],
    )
    html = section_html(client.get("/fr/").content.decode(), "featured_startups")
    assert "Première" in html and "Dernière" not in html


def test_the_hero_button_needs_a_destination(portal_site):
    home = HomePage.objects.get(pk=portal_site["home"].pk)
    home.hero_cta_label = "Découvrir"
    with pytest.raises(ValidationError):
        home.full_clean()
    home.hero_cta_page = portal_site["StartupIndexPage"]
    home.full_clean()


def test_the_hero_button_leads_to_the_chosen_page(client, portal_site):
    home = HomePage.objects.get(pk=portal_site["home"].pk)
    home.hero_headline = "Le numérique marocain"
    home.hero_cta_label = "Découvrir les startups"
    home.hero_cta_page = portal_site["StartupIndexPage"]
    home.save_revision().publish()
    html = client.get("/fr/").content.decode()
    assert "<h1>Le numérique marocain</h1>" in html
    assert '<a class="button hero__cta" href="/fr/startups/">Découvrir les startups</a>' in html


def count_queries(client, url):
    client.get(url)  # a first visit also creates rows (the site's settings)
    # Then every cache emptied: what rendering the page costs (tests/portal/test_query_counts.py has both).
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


# Exact, measured: the same with 1 or 12 of everything (the partners' logos' renditions: one).
HOME_QUERIES = 23


def test_the_home_page_costs_the_same_queries_whatever_the_content(client, seeded, startups):
    soon = timezone.now() + datetime.timedelta(days=3)
    # One of each first, so that every prefetch already runs in the small case.
    EventPageFactory(parent=seeded["EventIndexPage"], starts_at=soon)
    StartupPageFactory(parent=startups)
    small = count_queries(client, "/fr/")
    for n in range(12):
        ArticlePageFactory(parent=seeded["news"], tags=[f"thème {n}", "numérique"])
        EventPageFactory(parent=seeded["EventIndexPage"], starts_at=soon)
        StartupPageFactory(parent=startups)
    assert count_queries(client, "/fr/") == small == HOME_QUERIES


def test_the_hero_button_leads_to_the_page_in_the_visitors_language(client, multilingual):
    home = HomePage.objects.get(pk=multilingual["home"].pk)
    home.hero_cta_label = "Découvrir"
    home.hero_cta_page = multilingual["StartupIndexPage"]
    home.save_revision().publish()
    arabic = HomePage.objects.get(locale__language_code="ar")
    arabic.hero_cta_label = "اكتشف"
    arabic.hero_cta_page = multilingual["StartupIndexPage"]  # the French page, as a copy keeps it
    arabic.save_revision().publish()
    html = client.get("/ar/").content.decode()
    assert 'class="button hero__cta" href="/ar/startups/"' in html

"""Routing and view restrictions from the cache (portal/core/cache/routing.py): fewer queries, never a stale answer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from brand.factories import OrganisationFactory
from portal.news.factories import ArticlePageFactory, NewsIndexPageFactory


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    response.sql = [query["sql"] for query in queries]
    return response


@pytest.fixture
def article(portal_site):
    return ArticlePageFactory(parent=portal_site["news"], title="Routée depuis le cache", slug="routee")


def test_the_second_request_finds_the_site_and_the_page_without_walking_the_tree(client, article):
    first = get(client, "/fr/actualites/routee/")
    second = get(client, "/fr/actualites/routee/")
    assert first.status_code == second.status_code == 200
    assert "Routée depuis le cache" in second.content.decode()
    # Wagtail's walk: the site, a child lookup by slug per level, the restrictions above the page.
    assert any("wagtailcore_site" in sql for sql in first.sql)
    assert not any("wagtailcore_site" in sql for sql in second.sql)
    assert not any('"wagtailcore_page"."slug" =' in sql for sql in second.sql)
    assert not any("wagtailcore_pageviewrestriction" in sql for sql in second.sql)
    assert len(second.sql) < len(first.sql)


def test_an_unpublished_page_is_gone_at_once(client, article):
    assert client.get("/fr/actualites/routee/").status_code == 200
    article.unpublish()
    assert client.get("/fr/actualites/routee/").status_code == 404


def test_a_page_unpublished_without_a_signal_is_not_served_from_the_cached_route(client, article):
    assert client.get("/fr/actualites/routee/").status_code == 200
    type(article).objects.filter(pk=article.pk).update(live=False)
    assert client.get("/fr/actualites/routee/").status_code == 404


def test_a_new_slug_moves_the_page_and_frees_the_old_address(client, article):
    assert client.get("/fr/actualites/routee/").status_code == 200
    article.slug = "nouvelle-adresse"
    article.save_revision().publish()
    assert client.get("/fr/actualites/nouvelle-adresse/").status_code == 200
    assert client.get("/fr/actualites/routee/").status_code == 404


def test_a_moved_page_answers_at_its_new_place(client, portal_site, article):
    archive = NewsIndexPageFactory(parent=portal_site["home"], title="Archives", slug="archives")
    assert client.get("/fr/actualites/routee/").status_code == 200
    article.move(archive, pos="last-child")
    assert client.get("/fr/archives/routee/").status_code == 200
    # Not the cached route to the old place: Wagtail's redirect to the new one.
    old = client.get("/fr/actualites/routee/")
    assert old.status_code == 301 and old["Location"] == "/fr/archives/routee/"


def test_a_page_made_private_asks_for_a_login_and_leaves_the_listings(client, article):
    assert "Routée depuis le cache" in client.get("/fr/actualites/").content.decode()
    assert client.get("/fr/actualites/routee/").status_code == 200
    restriction = PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/fr/actualites/routee/")
    assert response.status_code == 302 and "login" in response["Location"]
    assert "Routée depuis le cache" not in client.get("/fr/actualites/").content.decode()
    restriction.delete()
    assert client.get("/fr/actualites/routee/").status_code == 200
    assert "Routée depuis le cache" in client.get("/fr/actualites/").content.decode()


def test_a_restriction_on_a_section_covers_the_pages_below_it(client, portal_site, article):
    assert client.get("/fr/actualites/routee/").status_code == 200
    PageViewRestriction.objects.create(page=portal_site["news"], restriction_type=PageViewRestriction.LOGIN)
    assert client.get("/fr/actualites/routee/").status_code == 302
    assert client.get("/fr/actualites/").status_code == 302


def test_routes_a_page_serves_itself_come_from_the_cache_too(client, portal_site, article):
    OrganisationFactory(name="Agence de test", slug="agence-de-test")
    for url in ("/fr/actualites/rss/", "/fr/moroccotech/organisations/agence-de-test/"):
        first, second = get(client, url), get(client, url)
        assert first.status_code == second.status_code == 200, url
        assert not any('"wagtailcore_page"."slug" =' in sql for sql in second.sql), url
    # A sub-route that does not exist stays a 404, asked twice.
    assert client.get("/fr/moroccotech/organisations/inconnue/").status_code == 404
    assert client.get("/fr/moroccotech/organisations/inconnue/").status_code == 404


def test_unknown_addresses_are_not_cached(client, portal_site, monkeypatch):
    from django.core.cache import cache

    written = []
    for name in ("set", "set_many", "add"):
        original = getattr(cache, name)

        def writing(key, *args, _original=original, **kwargs):
            written.append(key)
            return _original(key, *args, **kwargs)

        monkeypatch.setattr(cache, name, writing)
    # The first 404 caches what every page uses (the site, the restricted paths, the header)…
    assert client.get("/fr/n-existe-pas/").status_code == 404
    assert written, "the writes are seen"
    written.clear()
    for n in range(20):
        assert client.get(f"/fr/n-existe-pas-{n}/").status_code == 404
    # …and then nothing per made-up address.
    assert written == []


def test_a_cached_page_comes_with_what_it_shows_and_costs_one_query(client, portal_site):
    from brand.factories import OrganisationFactory
    from events.factories import EventPageFactory

    organiser = OrganisationFactory(name="Club des organisateurs")
    article = ArticlePageFactory(parent=portal_site["news"], title="Compte rendu", tags=["fintech"])
    event = EventPageFactory(parent=portal_site["EventIndexPage"], title="Forum", slug="forum")
    event.organisers.set([organiser])
    event.related_articles.create(article=article)
    event.save_revision().publish()
    url = "/fr/evenements/forum/"
    first, second = get(client, url), get(client, url)
    assert first.status_code == second.status_code == 200
    assert len(second.sql) == 1 and '"wagtailcore_page"' in second.sql[0]
    html = second.content.decode()
    assert "Club des organisateurs" in html and "Compte rendu" in html


def test_what_a_cached_page_shows_of_its_relations_changes_at_once(client, portal_site):
    from brand.factories import OrganisationFactory
    from events.factories import EventPageFactory

    organiser = OrganisationFactory(name="Ancien nom")
    event = EventPageFactory(parent=portal_site["EventIndexPage"], slug="forum", tags=["fintech"])
    event.organisers.set([organiser])
    event.save_revision().publish()
    url = "/fr/evenements/forum/"
    html = client.get(url).content.decode()
    assert "Ancien nom" in html and "fintech" in html
    organiser.name = "Nouveau nom"
    organiser.save()
    tag = event.tags.get()
    tag.name = "Finance numérique"
    tag.save()
    html = client.get(url).content.decode()
    assert "Nouveau nom" in html and "Ancien nom" not in html and "Finance numérique" in html


def test_a_revision_published_behind_the_signals_back_is_not_hidden_by_the_cached_copy(client, article):
    revision = article.save_revision()
    assert "Routée depuis le cache" in client.get("/fr/actualites/routee/").content.decode()
    assert "Routée depuis le cache" in client.get("/fr/actualites/routee/").content.decode()
    # A bulk change (a script, a data migration): no signal, only the row changes.
    type(article).objects.filter(pk=article.pk).update(title="Titre changé en bloc", live_revision=revision)
    assert "Titre changé en bloc" in client.get("/fr/actualites/routee/").content.decode()


def test_a_first_page_added_below_a_cached_page_is_listed_on_it(client, portal_site):
    from brand.models import ContentPage

    brand = portal_site["BrandPage"]
    assert brand.get_children().count() == 0
    assert "Notre histoire" not in client.get(brand.url).content.decode()
    assert "Notre histoire" not in client.get(brand.url).content.decode()
    # treebeard counts the new child with a queryset update: no signal says the brand page changed.
    brand.add_child(instance=ContentPage(title="Notre histoire", slug="notre-histoire"))
    assert "Notre histoire" in client.get(brand.url).content.decode()

"""Anonymous pages from the shared cache: hits, bypass for sessions, invalidation, revalidation (#8)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from brand.factories import OrganisationFactory
from portal.factories import ArticlePageFactory
from portal.models import ArticlePage


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    response.queries = len(queries)
    return response


def test_an_anonymous_visitor_gets_the_second_request_from_the_cache(client, portal_site):
    ArticlePageFactory(parent=portal_site["news"], title="En cache")
    first = get(client, "/fr/actualites/")
    assert first["X-Cache"] == "miss"
    second = get(client, "/fr/actualites/")
    assert second["X-Cache"] == "hit"
    assert second.queries == 0
    # The same page, but for the per-response CSP nonce.
    assert without_nonce(second.content) == without_nonce(first.content)
    assert "public" in second["Cache-Control"] and "max-age=60" in second["Cache-Control"]


def without_nonce(body):
    return re.sub(rb'nonce="[^"]*"', b'nonce=""', body)


def first_nonce(response):
    return response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]


def test_each_answer_carries_its_own_csp_nonce(client, portal_site):
    get(client, "/fr/")
    hit = get(client, "/fr/")
    assert hit["X-Cache"] == "hit"
    nonce = first_nonce(hit)
    assert f'nonce="{nonce}"' in hit.content.decode()
    assert first_nonce(get(client, "/fr/")) != nonce


def test_etag_revalidation_answers_304(client, portal_site):
    etag = get(client, "/fr/actualites/")["ETag"]
    assert get(client, "/fr/actualites/")["ETag"] == etag
    assert get(client, "/fr/actualites/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_logged_in_editors_and_sessions_never_get_a_cached_page(client, portal_site, django_user_model):
    get(client, "/fr/actualites/")
    assert get(client, "/fr/actualites/")["X-Cache"] == "hit"
    editor = django_user_model.objects.create_superuser("ed", "ed@example.ma", "a-long-password-1234")
    client.force_login(editor)
    response = get(client, "/fr/actualites/")
    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_pages_with_a_form_are_never_stored(client, portal_site):
    url = portal_site["StartupIndexPage"].url + "rejoindre/"
    for _ in range(2):
        response = Client(HTTP_HOST="localhost").get(url)
        assert response.status_code == 200
        assert response.get("X-Cache") is None


def test_publishing_unpublishing_moving_and_deleting_show_at_once(client, portal_site):
    news = portal_site["news"]
    article = ArticlePageFactory(parent=news, title="Premier article")
    get(client, "/fr/actualites/")
    assert get(client, "/fr/actualites/")["X-Cache"] == "hit"

    new = ArticlePageFactory(parent=news, title="Tout nouveau", live=False)
    new.save_revision().publish()
    assert "Tout nouveau" in get(client, "/fr/actualites/").content.decode()

    ArticlePage.objects.get(pk=new.pk).unpublish()
    get(client, "/fr/actualites/")
    assert "Tout nouveau" not in get(client, "/fr/actualites/").content.decode()

    get(client, article.url)
    assert get(client, article.url)["X-Cache"] == "hit"
    article.move(news, pos="last-child")
    article = ArticlePage.objects.get(pk=article.pk)
    assert get(client, article.url)["X-Cache"] == "miss"

    ArticlePage.objects.get(pk=article.pk).delete()
    assert get(client, "/fr/actualites/").content.decode().count("Premier article") == 0


def test_editing_a_snippet_a_page_shows_refreshes_that_page(client, portal_site):
    organisation = OrganisationFactory(name="Ancien nom", slug="orga-test")
    url = portal_site["BrandPage"].url + "organisations/orga-test/"
    assert "Ancien nom" in get(client, url).content.decode()
    assert get(client, url)["X-Cache"] == "hit"
    organisation.name = "Nouveau nom"
    organisation.save()
    assert "Nouveau nom" in get(client, url).content.decode()


def test_a_page_cache_of_zero_seconds_switches_it_off(client, portal_site, settings):
    settings.PAGE_CACHE_SECONDS = 0
    get(client, "/fr/")
    assert "X-Cache" not in get(client, "/fr/")


def test_personal_newsletter_links_are_never_stored(client, portal_site):
    from django.core import mail

    client.post("/fr/newsletter/", {"email": "a@example.ma", "language": "fr", "website": ""})
    link = re.search(r"(/fr/newsletter/confirmer/[^/\s]+/)", mail.outbox[0].body).group(1)
    for _ in range(2):
        response = get(client, link)
        assert response.status_code == 200 and "X-Cache" not in response
        assert "no-store" in response["Cache-Control"]


def test_http_and_https_pages_are_cached_apart(client, portal_site):
    get(client, "/fr/")
    assert get(client, "/fr/")["X-Cache"] == "hit"
    secure = get(client, "/fr/", secure=True)
    assert secure["X-Cache"] == "miss"
    assert 'href="https://localhost/fr/"' in secure.content.decode()

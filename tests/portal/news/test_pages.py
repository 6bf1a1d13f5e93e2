"""The public news pages, as an anonymous visitor gets them."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import get_page_models

from portal.core.pages import PortalPage
from portal.news.factories import ArticlePageFactory
from portal.news.models import NEWS_PER_PAGE, ArticlePage
from portal.sitewide.models import HomePage


def test_root_redirects_to_the_visitors_language(client, portal_site):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Location"] == "/en/"


def test_home_page_lists_the_latest_articles(client, seeded):
    html = client.get("/fr/").content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert "L&#x27;Opinion : Le défi de la Tech" in html
    assert 'href="/fr/actualites/"' in html


def test_news_index_lists_articles_newest_first(client, seeded):
    response = client.get("/fr/actualites/")
    assert response.status_code == 200
    titles = [a.title for a in response.context["articles"]]
    assert titles == [
        "Une délégation marocaine rencontre les géants de la technologie aux États-Unis",  # 2024-02-21
        "L'Opinion : Le défi de la Tech",  # 2022-01-17
        'MoroccoTech : Coup d\'envoi de la marque digitale "made in Morocco"',  # 2022-01-14
        "L’innovation, fer de lance de la reprise",  # 2020-12-17
        'Ihsane Himmi : "Cette crise a accéléré la transformation numérique"',  # 2020-10-22
    ]


def test_article_without_a_date_sorts_by_its_first_publication(client, portal_site):
    news = portal_site["news"]
    first_published = datetime.datetime(2021, 6, 1, 12, tzinfo=datetime.UTC)
    ArticlePageFactory(parent=news, title="Récent", published_on=datetime.date(2023, 1, 1))
    ArticlePageFactory(parent=news, title="Sans date", published_on=None, first_published_at=first_published)
    ArticlePageFactory(parent=news, title="Ancien", published_on=datetime.date(2001, 1, 1))
    titles = [a.title for a in client.get("/fr/actualites/").context["articles"]]
    assert titles == ["Récent", "Sans date", "Ancien"]


def test_tag_filter(client, seeded):
    response = client.get("/fr/actualites/?tag=moroccotech")
    titles = sorted(a.title for a in response.context["articles"])
    assert titles == [
        "L'Opinion : Le défi de la Tech",
        'MoroccoTech : Coup d\'envoi de la marque digitale "made in Morocco"',
    ]
    html = response.content.decode()
    assert "Articles sur le thème « MoroccoTech »" in html

    response = client.get("/fr/actualites/?tag=inconnu")
    assert response.status_code == 200
    assert list(response.context["articles"]) == []
    assert "Aucun article ne correspond." in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["page=0", "page=-1", "page=abc", "page=1e9", "page=99999999999999999999", "tag=%00", "tag=" + "x" * 5000,
     "tag=a&tag=b", "tag=%27%22%3Cscript%3E", "page=%00"],
)  # fmt: skip
def test_weird_query_strings_give_a_normal_page(client, seeded, query):
    response = client.get(f"/fr/actualites/?{query}")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_pagination(client, portal_site):
    for n in range(NEWS_PER_PAGE + 3):
        ArticlePageFactory(
            parent=portal_site["news"], published_on=datetime.date(2023, 1, 1) + datetime.timedelta(n)
        )
    first = client.get("/fr/actualites/")
    assert len(first.context["articles"]) == NEWS_PER_PAGE
    assert 'rel="next" href="?page=2"' in first.content.decode()
    second = client.get("/fr/actualites/?page=2")
    assert len(second.context["articles"]) == 3
    assert not {a.pk for a in first.context["articles"]} & {a.pk for a in second.context["articles"]}


def test_article_page_shows_source_author_date_tags_and_original_link(client, seeded):
    page = ArticlePage.objects.get(import_file="000_032a3364383af6b0.txt")
    html = client.get(page.url).content.decode()
    assert "<h1>L’innovation, fer de lance de la reprise</h1>" in html
    assert '<time dir="auto" datetime="2020-12-17">17 décembre 2020</time>' in html
    assert "Source : MAP Newsletters" in html
    assert 'href="https://mapnewsletters.ma/linnovation-fer-de-lance-de-la-reprise/"' in html
    assert 'href="/fr/actualites/?tag=digital-now"' in html

    interview = ArticlePage.objects.get(import_file="003_e5e38f4e165d1c0e.txt")
    html = client.get(interview.url).content.decode()
    assert "Par Mariama Ndoye" in html
    assert "Source : Les ECO" in html
    assert '<h2 class="prose__heading">Comment réduire la fracture numérique ?</h2>' in html
    assert "Lire l&#x27;article original" not in html  # no original URL known for this one


def test_a_missing_slug_is_a_404_in_the_site_design(client, seeded):
    response = client.get("/fr/actualites/cet-article-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert "site-header" in html


def count_queries(client, url):
    client.get(url)  # a first visit also creates rows (the site's settings)
    # Then every cache emptied: what rendering the page costs (tests/portal/test_query_counts.py has both).
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


# Exact counts with every cache empty (the first render after a publish); warm counts: test_query_counts.py.
@pytest.mark.parametrize(
    # The home: 22 since the partners have logos (setup's monograms): their renditions, one query.
    ("url", "expected"),
    [("/fr/", 22), ("/fr/actualites/", 23), ("/fr/actualites/?tag=numerique", 20)],
)
def test_listing_pages_make_the_same_number_of_queries_whatever_the_content(client, portal_site, url, expected):
    news = portal_site["news"]
    ArticlePageFactory(parent=news, tags=["numérique", "startups"])
    small = count_queries(client, url)
    for n in range(30):
        ArticlePageFactory(parent=news, tags=["numérique", f"thème {n}"])
    assert count_queries(client, url) == small == expected


def test_article_page_queries_do_not_grow_with_tags(client, portal_site):
    page = ArticlePageFactory(parent=portal_site["news"], tags=["un"])
    small = count_queries(client, page.url)
    page = ArticlePage.objects.get(pk=page.pk)
    page.tags.set([f"thème {n}" for n in range(20)])
    page.save_revision().publish()
    assert count_queries(client, page.url) == small


@pytest.mark.parametrize("path", ["/api/v2/pages/999999/", "/.env", "/.git/config", "/admin/nope.php"])
def test_non_page_paths_are_not_redirected_into_a_language(client, portal_site, path):
    response = client.get(path)
    assert response.status_code in (404, 301, 302)
    if response.status_code != 404:  # the admin's own redirects: its login, or a trailing slash
        assert response["Location"].startswith(("/admin/login/", path))
    assert not response.get("Location", "").startswith("/fr/")


@pytest.mark.parametrize(
    ("path", "lang", "direction", "text"),
    [
        ("/fr/actualites/x/", "fr", "ltr", "Une erreur est survenue"),
        ("/ar/actualites/x/", "ar", "rtl", "حدث خطأ"),
        ("/en/news/x/", "en", "ltr", "Something went wrong"),
        ("/api/v2/pages/", "fr", "ltr", "Une erreur est survenue"),
    ],
)
def test_the_500_page_is_designed_and_in_the_language_of_the_url(rf, path, lang, direction, text):
    # No database access allowed (no db fixture): the 500 page must render when the database is what failed.
    from portal import urls
    from portal.sitewide.views import server_error

    assert urls.handler500 is server_error
    response = server_error(rf.get(path))
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert text in html
    assert 'class="site-header"' in html
    assert f'href="/{lang}/"' in html
    assert "Traceback" not in html


def test_every_page_type_is_a_portal_page():
    """One base page: a new page type cannot forget the 405 guard, the cached restrictions or its sharing card."""
    ours = [model for model in get_page_models() if model._meta.app_label in ("portal", "brand", "events")]
    assert len(ours) >= 11
    assert [model.__name__ for model in ours if not issubclass(model, PortalPage)] == []


def test_the_page_tree_stays_constrained():
    """Every page type names its parents; the home takes exactly the sections, and nothing goes under an article."""
    ours = [model for model in get_page_models() if model._meta.app_label in ("portal", "brand", "events")]
    assert [m.__name__ for m in ours if m.parent_page_types is None] == []
    under_home = {m.__name__ for m in HomePage.creatable_subpage_models()}
    # The sections go under a home; what they list never does.
    assert {
        "BrandPage",
        "ContentPage",
        "EventIndexPage",
        "FiguresPage",
        "NewsIndexPage",
        "StartupIndexPage",
    } <= under_home
    assert not under_home & {"ArticlePage", "EventPage", "StartupPage", "StartupApplicationPage", "HomePage"}
    assert ArticlePage.allowed_subpage_models() == []
    assert [m.__name__ for m in HomePage.allowed_parent_page_models()] == ["Page"]


@pytest.mark.parametrize("designed", [True, False])
def test_development_shows_the_designed_404_and_500_unless_told_otherwise(client, seeded, monkeypatch, designed):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug in a view")

    with override_settings(DEBUG=True, DESIGNED_ERROR_PAGES=designed):
        missing = client.get("/fr/cette-page-n-existe-pas/")
        monkeypatch.setattr("portal.news.models.ArticlePage.serve", broken)
        client.raise_request_exception = False
        failing = client.get(ArticlePage.objects.live().first().url)
    assert (missing.status_code, failing.status_code) == (404, 500)
    if designed:
        # The pages visitors get in production, in the site's design.
        assert "<title>Page introuvable · MoroccoTech</title>" in missing.content.decode()
        assert "Erreur du serveur" in failing.content.decode()
        assert "a bug in a view" not in failing.content.decode()
    else:
        # Django's debug pages, for whoever wants the details in the browser.
        assert "Using the URLconf" in missing.content.decode() or "Raised by" in missing.content.decode()
        assert "a bug in a view" in failing.content.decode()

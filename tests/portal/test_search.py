"""Site search: French-aware on PostgreSQL, type filter, highlighting, hostile queries."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from portal.factories import ArticlePageFactory
from portal.models import ArticlePage

URL = "/fr/recherche/"
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="French stemming is PostgreSQL's (french_unaccent config)"
)


@pytest.fixture
def indexed(seeded):
    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
    return seeded


def found(client, query, **params):
    response = client.get(URL, {"q": query, **params})
    assert response.status_code == 200
    return [str(getattr(i["object"], "title", None) or i["object"].name) for i in response.context["items"]]


def test_search_form_is_on_every_page(client, seeded):
    for url in ("/fr/", "/fr/actualites/", "/fr/evenements/", "/fr/startups/", "/fr/moroccotech/"):
        html = client.get(url).content.decode()
        assert '<form class="site-search" role="search" method="get" action="/fr/recherche/">' in html


def test_search_across_types_with_type_filter(client, indexed):
    everything = found(client, "APEBI")
    assert "Fédération des Technologies de l'Information, des Télécommunications et de l'Offshoring" in everything
    assert 'MoroccoTech : Coup d\'envoi de la marque digitale "made in Morocco"' in everything
    assert "Lancement de la marque MoroccoTech" in everything
    assert found(client, "APEBI", type="events") == ["Lancement de la marque MoroccoTech"]
    only_orgs = found(client, "APEBI", type="organisations")
    # The APEBI first; the ministry, whose description names it, after.
    assert (
        only_orgs[0] == "Fédération des Technologies de l'Information, des Télécommunications et de l'Offshoring"
    )
    assert set(only_orgs) == {
        only_orgs[0],
        "Ministère de la Transition numérique et de la Réforme de l'Administration",
    }


def test_results_show_type_date_and_highlighted_snippet(client, indexed):
    response = client.get(URL, {"q": "Fiware", "type": "articles"})
    item = response.context["items"][0]
    assert item["type"] == "Articles"
    assert str(item["date"]) == "2020-10-22"
    assert str(item["title"]).startswith("Ihsane Himmi")
    response = client.get(URL, {"q": "Maroc Numeric", "type": "articles"})
    snippet = str(response.context["items"][0]["snippet"])
    assert "<mark>Maroc</mark> <mark>Numeric</mark> Cluster" in snippet


def test_accents_do_not_matter(client, indexed):
    with_accent = found(client, "numérique", type="articles")
    assert with_accent
    assert found(client, "numerique", type="articles") == with_accent
    html = client.get(URL, {"q": "numerique"}).content.decode()
    assert "<mark>numérique</mark>" in html


@postgres_only
def test_french_inflections_match_on_postgresql(client, indexed):
    assert set(found(client, "startup", type="articles")) == set(found(client, "startups", type="articles"))
    assert found(client, "startup", type="articles")
    assert set(found(client, "entreprise", type="articles")) == set(found(client, "entreprises", type="articles"))
    # The acronym finds the agency first (and the ministry, whose description names it).
    assert found(client, "ADD", type="organisations")[0] == "Agence de Développement du Digital"
    assert found(client, "add", type="articles") == found(client, "ADD", type="articles")


def test_drafts_never_appear(client, seeded):
    ArticlePageFactory(parent=seeded["news"], title="Brouillon confidentiel zanzibar", live=False)
    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
    assert found(client, "zanzibar") == []


def test_no_result_says_so_and_offers_the_sections(client, indexed):
    html = client.get(URL, {"q": "xyzzyplugh"}).content.decode()
    assert "0 résultats pour « xyzzyplugh »" in html or "0 résultat pour « xyzzyplugh »" in html
    assert "Aucun résultat" in html
    assert 'href="/fr/actualites/"' in html.split("Aucun résultat", 1)[1]


@pytest.mark.parametrize(
    "query",
    [
        "x" * 10_000,
        "'; DROP TABLE wagtailcore_page; --",
        '"unbalanced',
        "(((",
        "\x00\x01\x1f",
        "%00",
        "!!!...???",
        "-Data",
        "Data-X.2",
        "AND OR NOT",
        "*",
        "NEAR(a b)",
        "   ",
    ],
)
def test_hostile_queries_give_a_normal_page(client, indexed, query):
    assert client.get(URL, {"q": query}).status_code == 200


@pytest.mark.parametrize("params", ["q=a&q=b", "q=maroc&page=0", "q=maroc&page=-1", "q=maroc&page=abc",
                                    "q=maroc&page=1e9", "q=maroc&type=<script>", "type=events"])  # fmt: skip
def test_weird_parameters_give_a_normal_page(client, indexed, params):
    response = client.get(f"{URL}?{params}")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_editors_promote_results_and_see_popular_queries(client, indexed):
    article = ArticlePage.objects.get(import_file="003_e5e38f4e165d1c0e.txt")
    query = Query.get("cluster")
    SearchPromotion.objects.create(query=query, page=article, sort_order=0, description="L'entretien de référence")
    html = client.get(URL, {"q": "cluster"}).content.decode()
    assert html.index("L&#x27;entretien de référence") < html.index('<ol class="search-results">')
    client.get(URL, {"q": "Cluster"})
    assert Query.get("cluster").hits == 2

"""The open-data API: live public content only, useful fields only, open to other sites."""

import json

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from portal.news.factories import ArticlePageFactory


def get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:300]
    return json.loads(response.content)


def test_articles_endpoint_lists_live_articles_with_their_fields(client, seeded):
    data = get(
        client, "/api/v2/pages/?type=portal.ArticlePage&fields=standfirst,published_on,source_name,tag_names"
    )
    assert data["meta"]["total_count"] == 5
    item = next(i for i in data["items"] if i["title"] == "L'Opinion : Le défi de la Tech")
    assert item["published_on"] == "2022-01-17"
    assert item["source_name"] == "L'opinion"
    assert sorted(item["tag_names"]) == ["MoroccoTech", "talents", "éditorial"]


def test_drafts_and_private_pages_are_never_exposed(client, seeded):
    draft = ArticlePageFactory(parent=seeded["news"], title="Brouillon API", live=False)
    private = ArticlePageFactory(parent=seeded["news"], title="Privé API")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    titles = [i["title"] for i in get(client, "/api/v2/pages/?type=portal.ArticlePage&limit=100")["items"]]
    assert "Brouillon API" not in titles and "Privé API" not in titles
    assert client.get(f"/api/v2/pages/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v2/pages/{private.pk}/").status_code == 404
    all_titles = [i["title"] for i in get(client, "/api/v2/pages/?limit=100")["items"]]
    assert "Rejoindre MoroccoTech" not in all_titles  # the form page is not data


def test_internal_fields_are_refused(client, seeded):
    for field in ("import_file", "import_hash", "import_revision", "mentions_brand"):
        response = client.get(f"/api/v2/pages/?type=portal.ArticlePage&fields={field}")
        assert response.status_code == 400
    from portal.news.models import ArticlePage

    detail = get(client, f"/api/v2/pages/{ArticlePage.objects.first().pk}/")
    assert not any(key.startswith("import") for key in detail)


def test_events_startups_and_organisations(client, seeded):
    events = get(client, "/api/v2/pages/?type=events.EventPage&fields=starts_at,event_format,organiser_names")
    by_title = {i["title"]: i for i in events["items"]}
    launch = by_title["Lancement de la marque MoroccoTech"]
    assert launch["event_format"] == "online"
    assert launch["starts_at"].startswith("2022-01-14T00:00:00")
    assert launch["organiser_names"] == [
        "Ministère de la Transition numérique et de la Réforme de l'Administration"
    ]

    organisations = get(client, "/api/v2/organisations/?locale=fr&limit=20&fields=acronym,website")
    assert organisations["meta"]["total_count"] == 14
    apebi = next(o for o in organisations["items"] if o["acronym"] == "APEBI")
    assert apebi["website"] == "https://www.apebi.org.ma"
    assert get(client, "/api/v2/organisations/?locale=en")["meta"]["total_count"] == 0


def test_filter_by_language_and_pagination(client, seeded):
    assert get(client, "/api/v2/pages/?locale=fr&type=portal.ArticlePage")["meta"]["total_count"] == 5
    assert get(client, "/api/v2/pages/?locale=en&type=portal.ArticlePage")["meta"]["total_count"] == 0
    first = get(client, "/api/v2/pages/?type=portal.ArticlePage&limit=2&offset=0")["items"]
    second = get(client, "/api/v2/pages/?type=portal.ArticlePage&limit=2&offset=2")["items"]
    assert len(first) == len(second) == 2
    assert not {i["id"] for i in first} & {i["id"] for i in second}


def test_cors_is_open_for_reading_only(client, seeded):
    response = client.get("/api/v2/pages/", HTTP_ORIGIN="https://data.gov.ma")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v2/pages/", HTTP_ORIGIN="https://data.gov.ma", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")
    assert client.post("/api/v2/pages/", {}).status_code == 405
    page = client.get("/fr/actualites/", HTTP_ORIGIN="https://data.gov.ma")
    assert "Access-Control-Allow-Origin" not in page


def test_the_documented_search_works_on_pages_and_organisations(client, seeded):
    data = get(client, "/api/v2/pages/?search=MoroccoTech&type=portal.ArticlePage")
    assert data["meta"]["total_count"] >= 1
    data = get(client, "/api/v2/pages/?search=MoroccoTech")
    assert data["items"]
    call_command("update_index", verbosity=0)  # the tests' settings leave the index to them
    data = get(client, "/api/v2/organisations/?search=APEBI&fields=name,acronym")
    assert [item["acronym"] for item in data["items"]][:1] == ["APEBI"]


@pytest.mark.parametrize(
    "query",
    [
        "locale=fr%00",
        "search=a%00b",
        "offset=99999999999999999999",
        "offset=-1",
        "limit=99999999999999999999",
        "type=portal.ArticlePage%00",
        "fields=%00",
    ],
)
@pytest.mark.parametrize("endpoint", ["pages", "organisations"])
def test_hostile_parameters_answer_400_or_200_never_5xx(client, seeded, endpoint, query):
    response = client.get(f"/api/v2/{endpoint}/?{query}")
    assert response.status_code in (200, 400), response.content[:300]


def test_an_offset_out_of_range_says_so(client, seeded):
    response = client.get("/api/v2/pages/?offset=99999999999999999999")
    assert response.status_code == 400
    assert "offset" in json.loads(response.content)["message"]


def test_find_with_a_nul_byte_is_not_an_outage(client, seeded):
    response = client.get("/api/v2/pages/find/?html_path=/fr/%00actualites/")
    assert response.status_code in (400, 404)

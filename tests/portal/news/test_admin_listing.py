"""The admin's article list: editors find the imported articles to check."""

import pytest
from django.utils.html import escape

from portal.news.importers.articles import import_paths
from portal.sitewide.editorial import EDITORS, ensure_editorial_roles
from tests.conftest import FILES_DIR, SEEDS_DIR, make_user


@pytest.fixture
def editor_client(client, portal_site):
    ensure_editorial_roles()
    client.force_login(make_user("nadia", EDITORS))
    return client


COMPLETE = escape("L'Opinion : Le défi de la Tech")
TO_CHECK = escape("Le Maroc présente sa stratégie numérique à Dubaï")


def test_an_editor_filters_the_articles_to_check(editor_client, portal_site):
    import_paths([SEEDS_DIR / "002_4b9a60903dfe3b56.txt", FILES_DIR / "wrong_weekday.txt"])

    everything = editor_client.get("/admin/articles/").content.decode()
    assert COMPLETE in everything
    assert TO_CHECK in everything

    to_check = editor_client.get("/admin/articles/?needs_review=true").content.decode()
    assert TO_CHECK in to_check
    assert COMPLETE not in to_check

    checked = editor_client.get("/admin/articles/?needs_review=false").content.decode()
    assert COMPLETE in checked
    assert TO_CHECK not in checked


def test_the_editor_sees_what_to_check_on_the_article_form(editor_client, portal_site):
    (result,) = import_paths([FILES_DIR / "wrong_weekday.txt"]).results
    form = editor_client.get(f"/admin/pages/{result.page.pk}/edit/").content.decode()
    assert 'name="needs_review"' in form and "checked" in form.split('name="needs_review"')[1][:200]
    assert "wrong weekday: 14 January 2022 was a Friday" in form


def test_anonymous_visitors_cannot_see_the_list(client, portal_site):
    response = client.get("/admin/articles/?needs_review=true")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

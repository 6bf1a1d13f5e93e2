"""Editors work on imported articles through Wagtail's admin, as in a browser."""

from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.utils.html import strip_tags
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield
from wagtail.users.models import UserProfile

from brand.models import ContentPage
from portal.news.models import ArticlePage
from portal.sitewide.editorial import EDITORS, ensure_editorial_roles
from tests.conftest import make_user

PASSWORD = "correct-horse-battery-staple"


def body_form_data(body):
    """The StreamField's form fields, which the admin builds in JavaScript from the page's data."""
    items = []
    for block in body:
        if block.block_type == "paragraph":
            items.append(("paragraph", rich_text(block.value.source)))
        elif block.block_type == "quote":
            items.append(("quote", {"text": block.value["text"], "attribution": block.value["attribution"]}))
        else:
            items.append((block.block_type, block.value))
    return nested_form_data({"body": streamfield(items)})


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("admin", "admin@example.ma", PASSWORD)


def test_admin_login_with_the_login_form(client, admin_user):
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    response = client.post("/admin/login/", {"username": "admin", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_edit_an_imported_article_title_and_publish(client, seeded, admin_user):
    client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    page = ArticlePage.objects.get(import_file="002_4b9a60903dfe3b56.txt")
    edit_url = f"/admin/pages/{page.pk}/edit/"

    body_before = [(b.block_type, unescape(strip_tags(b.render()))) for b in page.body]
    form_page = client.get(edit_url)
    assert form_page.status_code == 200
    data = querydict_from_html(form_page.content.decode(), form_id="page-edit-form")
    assert data["title"] == "L'Opinion : Le défi de la Tech"
    data.update(body_form_data(page.body))
    data["title"] = "Le défi de la Tech, selon L'Opinion"
    data["action-publish"] = "action-publish"

    response = client.post(edit_url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""

    page.refresh_from_db()
    assert page.title == "Le défi de la Tech, selon L'Opinion"
    assert page.live and not page.has_unpublished_changes
    assert page.edited_since_import()
    assert page.latest_revision.user == admin_user

    html = client.get(page.url).content.decode()
    assert "<h1>Le défi de la Tech, selon L&#x27;Opinion</h1>" in html
    # The body, tags and provenance went through the form unchanged.
    assert page.import_file == "002_4b9a60903dfe3b56.txt"
    assert sorted(t.name for t in page.tags.all()) == ["MoroccoTech", "talents", "éditorial"]
    # (Draftail adds block keys to the paragraphs' markup; the text is the same.)
    assert [(b.block_type, unescape(strip_tags(b.render()))) for b in page.body] == body_before


def test_article_edit_form_shows_provenance_read_only(client, seeded, admin_user):
    client.force_login(admin_user)
    page = ArticlePage.objects.get(import_file="000_032a3364383af6b0.txt")
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "000_032a3364383af6b0.txt" in html
    assert 'name="import_file"' not in html  # shown, not editable


def test_editor_can_create_an_article_under_the_news_index_only(client, seeded, admin_user):
    client.force_login(admin_user)
    news = seeded["news"]
    assert client.get(f"/admin/pages/add/portal/articlepage/{news.pk}/").status_code == 200
    home = seeded["home"]
    response = client.get(f"/admin/pages/add/portal/articlepage/{home.pk}/")
    assert response.status_code in (302, 403)


@pytest.mark.parametrize("accept_language", ["en-US,en;q=0.9", "ar-MA,ar;q=0.9", ""])
def test_a_new_editor_gets_the_admin_in_french_whatever_the_browser_says(client, portal_site, accept_language):
    ensure_editorial_roles()
    client.force_login(make_user("nouvelle", EDITORS))
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()
    assert '<html lang="fr" dir="ltr"' in html
    login = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert login.status_code in (200, 302)


@pytest.mark.parametrize(
    ("choice", "marker"), [("ar", '<html lang="ar" dir="rtl"'), ("en", '<html lang="en" dir="ltr"')]
)
def test_an_editor_who_chose_another_language_gets_it(client, portal_site, choice, marker):
    ensure_editorial_roles()
    user = make_user("karima", EDITORS)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = choice
    profile.save()
    client.force_login(user)
    assert marker in client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr-FR").content.decode()


def add_content_page(client, seeded, title, slug):
    add_url = f"/admin/pages/add/brand/contentpage/{seeded['BrandPage'].pk}/"
    data = querydict_from_html(client.get(add_url).content.decode(), form_id="page-edit-form")
    data.update({"title": title, "slug": slug, **body_form_data([])})
    return client.post(add_url, data)


def test_an_address_typed_in_the_admin_stays_as_typed_when_it_is_ascii(client, seeded, admin_user):
    client.force_login(admin_user)
    response = add_content_page(client, seeded, "Financer sa startup", "guide-financement")
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    assert ContentPage.objects.get(title="Financer sa startup").slug == "guide-financement"


@pytest.mark.parametrize(("slug", "suggested"), [("le-guide-publié", "le-guide-publie"), ("الدليل", "ldlyl")])
def test_an_address_typed_with_accents_or_in_arabic_is_refused_with_an_ascii_suggestion(
    client, seeded, admin_user, slug, suggested
):
    client.force_login(admin_user)
    response = add_content_page(client, seeded, "Le guide", slug)
    assert response.status_code == 200
    (error,) = response.context["form"].errors["slug"]
    assert error == f"Une adresse s’écrit sans accents ni autre alphabet, par exemple « {suggested} »."
    assert not ContentPage.objects.filter(title="Le guide").exists()

"""French, Arabic and English: lang/dir, switcher, hreflang, fallback listings, dates."""

import re

import pytest

from portal.news.models import ArticlePage


@pytest.mark.parametrize(
    ("url", "lang", "direction"),
    [("/fr/", "fr", "ltr"), ("/en/", "en", "ltr"), ("/ar/", "ar", "rtl"), ("/ar/actualites/", "ar", "rtl"),
     ("/en/news/", "en", "ltr"), ("/ar/moroccotech/", "ar", "rtl"), ("/en/events/", "en", "ltr"),
     ("/ar/startups/", "ar", "rtl"), ("/ar/recherche/?q=maroc", "ar", "rtl")],
)  # fmt: skip
def test_html_lang_and_dir(client, multilingual, url, lang, direction):
    response = client.get(url)
    assert response.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in response.content.decode()


def test_switcher_goes_to_the_same_page_in_each_language(client, multilingual):
    html = client.get("/fr/actualites/").content.decode()
    assert '<a href="/en/news/" hreflang="en" lang="en">English</a>' in html
    assert '<a href="/ar/actualites/" hreflang="ar" lang="ar">العربية</a>' in html
    assert '<span aria-current="true" lang="fr">Français</span>' in html


def test_switcher_on_an_untranslated_page_goes_to_that_languages_home_and_says_so(client, multilingual):
    article = ArticlePage.objects.get(import_file="002_4b9a60903dfe3b56.txt")
    html = client.get(article.url).content.decode()
    switcher = html.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/en/"' in switcher and 'href="/ar/"' in switcher
    assert "page non traduite" in switcher


def test_hreflang_alternates_and_x_default(client, multilingual):
    html = client.get("/en/moroccotech/").content.decode()
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    assert alternates == {
        "fr": "http://localhost/fr/moroccotech/",
        "ar": "http://localhost/ar/moroccotech/",
        "en": "http://localhost/en/moroccotech/",
        "x-default": "http://localhost/fr/moroccotech/",
    }
    article = ArticlePage.objects.get(import_file="001_8dab914a3b7b85a5.txt")
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">',
                                 client.get(article.url).content.decode()))  # fmt: skip
    assert set(alternates) == {"fr", "x-default"}  # no translation exists: no false alternates


def test_english_and_arabic_news_list_french_articles_marked_as_french(client, multilingual):
    for url in ("/en/news/", "/ar/actualites/"):
        response = client.get(url)
        assert len(response.context["articles"]) == 5
        html = response.content.decode()
        # French text keeps its own direction inside the Arabic page; what the portal
        # writes around it (date, "in French") is in the page's language.
        assert html.count('<h3 class="card__title" lang="fr" dir="ltr">') == 5
        assert html.count('<p class="card__summary" lang="fr" dir="ltr">') == 5
        label = "مقال بالفرنسية" if url.startswith("/ar/") else "Article in French"
        assert html.count(f'<p class="card__language">{label}</p>') == 5


def test_dates_are_written_in_the_pages_language(client, multilingual):
    assert "14 janvier 2022" in client.get("/fr/actualites/").content.decode()
    assert "14 January 2022" in client.get("/en/news/").content.decode()
    assert "14 يناير 2022" in client.get("/ar/actualites/").content.decode()


def test_translated_brand_page_and_directory_in_english(client, multilingual):
    html = client.get("/en/moroccotech/").content.decode()
    assert "MoroccoTech is the national brand of Moroccan digital technology" in html
    assert "participants in the 2nd Digital Now! congress" in html
    # Partners are shared with the French page.
    assert 'href="/en/moroccotech/organisations/apebi/"' in html
    response = client.get("/en/startups/")
    assert ("fintech", "Fintech") in [(slug, name) for slug, name, _n in response.context["facets"]["sector"]]
    assert response.status_code == 200


def test_events_in_arabic_list_the_french_events(client, multilingual):
    response = client.get("/ar/evenements/")
    assert [e.slug for e in response.context["past_events"]] == [
        "mission-etats-unis-2024", "lancement-moroccotech", "digital-now-2020"
    ]  # fmt: skip


def test_an_editor_can_use_the_admin_in_arabic(client, portal_site, django_user_model):
    editor = django_user_model.objects.create_superuser("mouna", "m@example.ma", "pw-1234567890")
    client.force_login(editor)
    account = client.get("/admin/account/").content.decode()
    offered = re.findall(
        r'<option value="(\w*)"[^>]*>',
        account.split('name="locale-preferred_language"', 1)[1].split("</select>", 1)[0],
    )
    assert {"fr", "ar", "en"} <= set(offered)
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "ar"
    profile.save()
    html = client.get("/admin/").content.decode()
    assert 'dir="rtl"' in html and 'lang="ar"' in html

"""Menu, footer, breadcrumbs and site settings, edited in the admin (issue #9)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from brand.models import ContentPage, Sector
from portal.core.cache import cached_value, invalidate, request_memo
from portal.core.cache.tags import RequestMemoMiddleware
from portal.news.factories import ArticlePageFactory
from portal.sitewide.navigation import PortalSettings, SiteNavigation
from portal.sitewide.site_setup import LEGAL_PAGES


def part(html, css_class):
    match = re.search(rf'<(nav|footer|a) class="{css_class}".*?</\1>', html, re.S)
    return match.group(0) if match else ""


def test_setup_creates_the_navigation_per_language_and_the_legal_pages(client, multilingual):
    assert set(SiteNavigation.objects.values_list("locale__language_code", flat=True)) == {"fr", "ar", "en", "zgh"}
    for slug, title, _intro, _what in LEGAL_PAGES:
        page = ContentPage.objects.get(slug=slug, locale__language_code="fr")
        assert page.title == title and page.live and not page.show_in_menus
        # Clearly a placeholder until the editors complete it.
        assert "[À COMPLÉTER PAR L’ÉQUIPE ÉDITORIALE]" in client.get(page.url).content.decode()
    html = client.get("/ar/").content.decode()
    menu = part(html, "site-nav")
    # The French navigation's pages, shown in Arabic with their Arabic titles and URLs.
    assert 'href="/ar/actualites/"' in menu and "الأخبار" in menu
    legal = part(html, "container site-footer__legal")
    # The legal placeholders exist in Arabic too (fixtures/translations/legal_pages.yaml).
    assert '<a href="/ar/mentions-legales/">الإشعار القانوني</a>' in legal
    assert "[يُكمله فريق التحرير]" in client.get("/ar/mentions-legales/").content.decode()


def test_a_menu_edited_in_the_admin_appears_on_the_site(client, portal_site):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.ma", "a-long-password-1234")
    client.force_login(admin)
    navigation = SiteNavigation.objects.get(locale__language_code="fr")
    news = portal_site["news"]
    response = client.post(
        f"/admin/snippets/portal/sitenavigation/edit/{navigation.pk}/",
        {
            "tagline": "Le numérique, made in Morocco.",
            "main_menu-count": "2",
            "main_menu-0-type": "link",
            "main_menu-0-deleted": "",
            "main_menu-0-order": "0",
            "main_menu-0-value-label": "Toute l’actualité",
            "main_menu-0-value-page": str(news.pk),
            "main_menu-0-value-url": "",
            "main_menu-1-type": "link",
            "main_menu-1-deleted": "",
            "main_menu-1-order": "1",
            "main_menu-1-value-label": "Ministère",
            "main_menu-1-value-page": "",
            "main_menu-1-value-url": "https://www.mmsp.gov.ma/",
            "footer_columns-count": "0",
            "legal_links-count": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    html = client.get("/fr/actualites/").content.decode()
    menu = part(html, "site-nav")
    assert re.findall(r">([^<]+)</a>", menu) == ["Toute l’actualité", "Ministère"]
    assert '<a href="/fr/actualites/" aria-current="true">Toute l’actualité</a>' in menu
    assert "Le numérique, made in Morocco." in part(html, "site-footer")


def test_a_link_to_an_external_address_needs_a_label(client, portal_site):
    from wagtail.blocks import StructBlockValidationError

    from portal.sitewide.navigation import LinkBlock

    with pytest.raises(StructBlockValidationError):
        LinkBlock().clean({"label": "", "page": None, "url": "https://example.ma/"})
    with pytest.raises(StructBlockValidationError):
        LinkBlock().clean({"label": "Rien", "page": None, "url": ""})


def test_menu_and_footer_follow_publishing_at_once(client, portal_site):
    client.get("/fr/")  # cached now
    events = portal_site["EventIndexPage"]
    events.unpublish()
    html = client.get("/fr/").content.decode()
    assert 'href="/fr/evenements/"' not in part(html, "site-nav")
    events.save_revision().publish()
    events.title = "Agenda"
    events.save_revision().publish()
    assert ">Agenda</a>" in part(client.get("/fr/").content.decode(), "site-nav")


def test_site_settings_give_logo_contact_and_social_links(client, portal_site):
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.logo = Image.objects.create(title="Logo", file=get_test_image_file())
    settings.contact_email = "contact@moroccotech.ma"
    settings.contact_address = "Rabat"
    settings.linkedin = "https://www.linkedin.com/company/moroccotech"
    settings.default_share_image = Image.objects.create(title="Partage", file=get_test_image_file())
    settings.save()
    site = Site.objects.get(is_default_site=True)
    site.site_name = "MoroccoTech, le portail"
    site.save()
    html = client.get("/fr/").content.decode()
    # No image of its own: the page is shared with the site's default image, under the site's name.
    assert re.search(r'<meta property="og:image" content="http://localhost/media/images/[^"]+\.png">', html)
    assert '<meta property="og:site_name" content="MoroccoTech, le portail">' in html
    brand = part(html, "site-header__brand")
    assert '<img src="' in brand and 'alt="MoroccoTech, le portail"' in brand
    footer = part(html, "site-footer")
    assert "mailto:contact@moroccotech.ma" in footer and "Rabat" in footer
    assert 'href="https://www.linkedin.com/company/moroccotech"' in footer


def test_settings_edited_after_the_first_visit_show_at_once(client, portal_site):
    """The first visit creates the settings row while building the header: its later edits still show."""
    PortalSettings.objects.all().delete()
    assert "mailto:" not in part(client.get("/fr/").content.decode(), "site-footer")
    settings = PortalSettings.objects.get()  # created by that visit
    settings.contact_email = "presse@moroccotech.ma"
    settings.save()
    assert "mailto:presse@moroccotech.ma" in part(client.get("/fr/").content.decode(), "site-footer")


def test_breadcrumbs_on_every_page_below_the_home(client, portal_site):
    article = ArticlePageFactory(parent=portal_site["news"], title="Un article")
    html = client.get(article.url).content.decode()
    crumbs = part(html, "breadcrumbs")
    assert re.findall(r'<a href="([^"]+)">', crumbs) == ["/fr/", "/fr/actualites/"]
    assert '<li aria-current="page">Un article</li>' in crumbs
    assert part(client.get("/fr/").content.decode(), "breadcrumbs") == ""


def test_the_header_and_footer_cost_no_query_once_cached(client, portal_site):
    client.get("/fr/actualites/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/fr/actualites/")
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "portal_sitenavigation" not in tables and "portal_portalsettings" not in tables


def test_the_admin_pages_for_settings_navigation_and_subscribers_open(client, portal_site):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.ma", "a-long-password-1234")
    client.force_login(admin)
    site = Site.objects.get(is_default_site=True)
    for url in (
        f"/admin/settings/portal/portalsettings/{site.pk}/",
        "/admin/snippets/portal/sitenavigation/",
        "/admin/snippets/portal/subscriber/",
        "/admin/pages/{}/edit/".format(portal_site["home"].pk),
    ):
        assert client.get(url).status_code == 200, url


def test_a_request_reads_each_cache_tag_once_and_none_while_nothing_changed(client, portal_site, monkeypatch):
    """Route, listings, header and cards share tags (the site, the news section…): each is read once.

    And while no bump has moved the clock, the process knows every generation
    already: a steady page reads the clock and nothing else of the cache.
    """
    ArticlePageFactory(parent=portal_site["news"], title="Une nouvelle")
    client.get("/fr/actualites/")  # warm: every fragment cached
    reads = {"get": [], "get_many": []}
    inside = []  # a backend's get_many may call its own get: count the keys asked for, once
    for name in reads:
        original = getattr(cache, name)

        def reading(keys, *a, _name=name, _original=original, **k):
            if not inside:
                reads[_name].extend([keys] if isinstance(keys, str) else keys)
            inside.append(_name)
            try:
                return _original(keys, *a, **k)
            finally:
                inside.pop()

        monkeypatch.setattr(cache, name, reading)
    assert client.get("/fr/actualites/").status_code == 200
    read = [key for keys in reads.values() for key in keys]
    # Whether anything changed since (and Wagtail's own site list): no dependency is checked.
    assert len(set(read)) <= 2, read

    for keys in reads.values():
        keys.clear()
    invalidate(Sector)  # nothing this page shows: every dependency is checked again, once
    assert client.get("/fr/actualites/").status_code == 200
    read = [key for keys in reads.values() for key in keys]
    assert len(set(read)) > 5, "the fragments' dependencies were checked"
    assert len(read) - len(set(read)) <= 2, "each once (the clock aside)"


def test_a_publish_within_a_request_is_seen_by_the_rest_of_it(rf, portal_site):
    """The admin publishes, then renders: it must not go on with what it read before."""
    page = portal_site["BrandPage"]
    computed = []

    def value():
        return cached_value("test", ("within",), lambda: computed.append(1) or len(computed), shows=(page,))

    seen = []

    def view(request):
        seen.append(value())
        invalidate(page)
        seen.append(value())
        return HttpResponse()

    value()
    RequestMemoMiddleware(view)(rf.get("/"))
    # Kept before the request; computed again after the publish within it…
    assert seen == [1, 2]
    # …but not stored: it was computed in a request that had read what the publish changed.
    assert value() == 3 and value() == 3
    assert request_memo() is None  # nothing outlives the request


def test_pages_a_page_serves_and_views_that_are_not_pages_have_their_breadcrumbs_too(client, seeded):
    crumbs = part(client.get("/fr/moroccotech/organisations/apebi/").content.decode(), "breadcrumbs")
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs) == [
        ("/fr/", "Accueil"),
        ("/fr/moroccotech/", "MoroccoTech"),
        ("/fr/moroccotech/organisations/", "Organisations"),
    ]
    assert "Fédération des Technologies" in crumbs.split('aria-current="page">')[1]
    crumbs = part(client.get("/fr/moroccotech/organisations/").content.decode(), "breadcrumbs")
    assert '<li aria-current="page">Organisations</li>' in crumbs
    for url, current in (("/fr/recherche/?q=maroc", "Recherche"), ("/fr/newsletter/", "Lettre d’information")):
        crumbs = part(client.get(url).content.decode(), "breadcrumbs")
        assert re.findall(r'<a href="([^"]+)">', crumbs) == ["/fr/"], url
        assert f'<li aria-current="page">{current}</li>' in crumbs


def test_a_page_named_like_the_site_is_not_named_twice_in_the_title(client, seeded):
    assert "<title>MoroccoTech</title>" in client.get("/fr/").content.decode()
    assert "<title>MoroccoTech</title>" in client.get("/fr/moroccotech/").content.decode()
    assert "<title>Actualités · MoroccoTech</title>" in client.get("/fr/actualites/").content.decode()

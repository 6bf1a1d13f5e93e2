import io

from django.core.management import call_command
from wagtail.models import Locale, Page, PageLogEntry, Revision, Site

from portal.news.models import ArticleImportRun, ArticlePage, NewsIndexPage
from portal.sitewide.models import HomePage
from portal.sitewide.setup import ensure_admin_user


def snapshot():
    return (
        list(Page.objects.order_by("path").values_list("path", "title", "slug", "live")),
        Revision.objects.count(),
        list(Site.objects.values_list("hostname", "root_page_id", "is_default_site")),
        sorted(Locale.objects.values_list("language_code", flat=True)),
        ArticleImportRun.objects.count(),
        PageLogEntry.objects.count(),
    )


def test_setup_portal_builds_the_french_tree_and_imports_the_seeds(db):
    out = io.StringIO()
    call_command("setup_portal", stdout=out)
    home = HomePage.objects.get(locale__language_code="fr")
    assert home.url == "/fr/"
    assert home.locale.language_code == "fr"
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    news = NewsIndexPage.objects.get(locale__language_code="fr")
    assert news.url == "/fr/actualites/"
    assert news.get_parent().pk == home.pk
    assert ArticlePage.objects.live().child_of(news).count() == 5
    assert sorted(Locale.objects.values_list("language_code", flat=True)) == ["ar", "en", "fr", "zgh"]
    # Wagtail's "Welcome to your new Wagtail site!" placeholder is gone; the
    # other pages at the top are the home's English and Arabic versions.
    assert not Page.objects.filter(depth=2).not_type(HomePage).exists()
    assert sorted(HomePage.objects.values_list("locale__language_code", flat=True)) == ["ar", "en", "fr", "zgh"]
    assert "5 created" in out.getvalue()


def test_setup_portal_twice_changes_nothing(db):
    call_command("setup_portal", stdout=io.StringIO())
    before = snapshot()
    out = io.StringIO()
    call_command("setup_portal", stdout=out)
    assert snapshot() == before
    assert "0 created, 0 updated, 5 skipped, 0 failed" in out.getvalue()


def test_ensure_admin_creates_once_and_never_resets(db, monkeypatch):
    password, created = ensure_admin_user()
    assert created and len(password) >= 12
    again, created_again = ensure_admin_user(password="another-password")
    assert (again, created_again) == (None, False)

    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password)


def test_ensure_admin_command_uses_admin_password(db, monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "un-mot-de-passe-solide-2026")
    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    assert "password from ADMIN_PASSWORD" in out.getvalue()
    assert "un-mot-de-passe-solide-2026" not in out.getvalue()
    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    assert "already exists (unchanged)" in out.getvalue()

"""Building the portal's site tree, idempotently.

Running setup twice changes nothing: every step looks for what it would
create first. Called by `manage.py setup_portal` and by tests.
"""

import io
import secrets
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Locale, Page, Site

from brand.setup import setup_brand
from portal.core.cache import purge
from portal.core.search_analysis import ANALYSIS_VERSION
from portal.sitewide.editorial import ensure_editorial_roles
from portal.sitewide.home import DEFAULT_SECTIONS
from portal.sitewide.models import HomePage, SearchIndexState
from portal.sitewide.site_setup import ensure_legal_pages, ensure_navigation
from portal.sitewide.translations import ensure_translations

HOME_TITLE = "MoroccoTech"
HOME_INTRODUCTION = (
    "MoroccoTech est la marque nationale du numérique marocain : l'actualité de l'écosystème, "
    "ses événements, ses partenaires et ses startups."
)

# Sections created under the home page once their app provides the model.
# (app label, model name, title, slug, introduction: under the title, and the
# description search engines and shared links show)
SECTIONS = [
    (
        "portal",
        "NewsIndexPage",
        "Actualités",
        "actualites",
        "L’actualité de l’écosystème numérique marocain, de la presse et de MoroccoTech.",
    ),
    ("brand", "BrandPage", "MoroccoTech", "moroccotech", ""),
    (
        "events",
        "EventIndexPage",
        "Événements",
        "evenements",
        "Lancements, salons, missions d’affaires, hackathons et rencontres de l’écosystème.",
    ),
    (
        "brand",
        "StartupIndexPage",
        "Startups",
        "startups",
        "Les startups labellisées MoroccoTech, par secteur et par ville.",
    ),
    (
        "portal",
        "FiguresPage",
        "L’écosystème en chiffres",
        "ecosysteme-en-chiffres",
        "Les startups par secteur et par ville, les membres par année, les événements et les articles "
        "dans le temps : comptés en direct à partir du contenu du portail.",
    ),
]


def ensure_locales():
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


def public_address():
    """(hostname, port) of settings.PUBLIC_BASE_URL, as Wagtail's Site keeps them."""
    address = urlsplit(settings.PUBLIC_BASE_URL)
    return address.hostname, address.port or (443 if address.scheme == "https" else 80)


def ensure_home(log):
    default_locale = Locale.get_default()
    home = HomePage.objects.filter(locale=default_locale).first()
    root = Page.get_first_root_node()
    if home is None:
        home = HomePage(title=HOME_TITLE, slug="accueil", introduction=HOME_INTRODUCTION, locale=default_locale)
        root.add_child(instance=home)
        home.save_revision(log_action=True).publish()
        log(f"created the home page ({home.title})")

    site = Site.objects.filter(is_default_site=True).first()
    hostname, port = public_address()
    if site is None:
        Site.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=True, site_name="MoroccoTech"
        )
        log("created the default site")
        return home
    if (site.hostname, site.port) != (hostname, port):
        # Feeds, the sitemap, calendars and the API build their links on the site's address.
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])
        log(f"gave the default site the public address {settings.PUBLIC_BASE_URL}")
    if site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = site.site_name or "MoroccoTech"
        site.save()
        log("pointed the default site at the home page")
        # Wagtail's installation leaves a placeholder "Welcome" page; remove
        # it only if it is exactly that (a plain Page with nothing under it).
        if old_root.specific_class is Page and old_root.is_leaf() and old_root.depth == 2:
            old_root.delete()
            log("removed Wagtail's placeholder welcome page")
    return home


def ensure_sections(home, log):
    sections, created = {}, set()
    for app_label, model_name, title, slug, introduction in SECTIONS:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue  # that section's app does not provide it yet
        page = model.objects.child_of(home).first()
        if page is None:
            page = model(title=title, slug=slug, locale=home.locale, show_in_menus=True)
            if introduction and hasattr(page, "introduction"):
                page.introduction = introduction
            home.add_child(instance=page)
            page.save_revision(log_action=True).publish()
            log(f"created {title} at {page.url}")
            created.add(model_name)
        sections[model_name] = page
    return sections, created


def ensure_home_sections(log):
    """Give every home page without sections the default ones (editors then reorder or hide them)."""
    for home in HomePage.objects.all():
        # A home with an editor's draft pending is left to the editor.
        if home.sections.raw_data or home.has_unpublished_changes:
            continue
        home.sections = DEFAULT_SECTIONS
        revision = home.save_revision(log_action=True)
        if home.live:
            revision.publish()
        log(f"added the default sections to the home page ({home.locale.language_code})")


def setup_site(log=lambda message: None, demo=False, translations=True):
    """Build the tree and load the apps' fixtures. demo adds clearly marked sample data."""
    with transaction.atomic():
        ensure_locales()
        home = ensure_home(log)
        ensure_home_sections(log)
        # Translations are copied from this object: it must carry the sections.
        home.refresh_from_db()
        sections, created = ensure_sections(home, log)
        setup_brand(home, sections, created, log=log, demo=demo)
        # Before the translations, which include them.
        legal = ensure_legal_pages(home, log)
        if translations:
            ensure_translations(home, sections, log=log)
        ensure_navigation(home, sections, legal, log)
        ensure_editorial_roles(log=log)
        # Whatever was written here, with or without signals, shows at once.
        purge()
        return home, sections


def ensure_search_index(log=lambda message: None):
    """Rebuild the search index if it was built by another word analysis than this code's (an upgrade)."""
    state = SearchIndexState.objects.first()
    if state is not None and state.analysis == ANALYSIS_VERSION:
        return False
    # Wagtail's own command: every indexed model, every backend, stale entries removed.
    call_command("update_index", stdout=io.StringIO())
    with transaction.atomic():
        SearchIndexState.objects.all().delete()
        SearchIndexState.objects.create(analysis=ANALYSIS_VERSION)
    # Searches answered from the old index are cached: they go with it.
    purge()
    log(f"rebuilt the search index (word analysis {ANALYSIS_VERSION})")
    return True


def ensure_admin_user(username="admin", password=None, email="admin@localhost"):
    """Create the admin account if missing. Returns the generated password, if one was."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        return None, False
    generated = not password
    password = password or secrets.token_urlsafe(12)
    User.objects.create_superuser(username=username, email=email, password=password)
    return (password if generated else None), True

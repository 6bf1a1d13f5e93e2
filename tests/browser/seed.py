"""Content the browser suite needs beyond `setup_portal --demo`, then the URLs to visit.

setup_portal translates the home, section and brand pages; articles, events
and startups exist only in French. Editors translate them with
wagtail-localize; here one of each is copied into Arabic and English (text
left in French) so that every page type's template is checked in every
language. Run inside the server's Django: `manage.py shell -c`.
"""

import io
import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Locale

from brand.membership.links import UPDATE, link_for
from brand.models import (
    BrandPage,
    ContentPage,
    Organisation,
    StartupApplication,
    StartupApplicationPage,
    StartupIndexPage,
    StartupPage,
)
from events.models import EventIndexPage, EventPage
from portal.news.models import ArticlePage, NewsIndexPage
from portal.sitewide.editorial import EDITORS
from portal.sitewide.models import FiguresPage, HomePage
from portal.tooling.lighthouse import photo_bytes
from tests.browser import EDITOR_PASSWORD, EDITOR_USERNAME

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def translated(page, code):
    locale = Locale.objects.get(language_code=code)
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    copy = page.copy_for_translation(locale)
    copy.save_revision().publish()
    return copy.specific


def content_page(brand):
    page = ContentPage.objects.child_of(brand).first()
    if page is None:
        page = ContentPage(
            title="Financer sa startup au Maroc",
            slug="financement",
            introduction="Les dispositifs publics et privés de financement des startups marocaines.",
            body=[("paragraph", "<p>Innov Invest, fonds d'amorçage, programmes d'accélération.</p>")],
        )
        brand.add_child(instance=page)
        page.save_revision().publish()
    return page


def with_lead_image(article):
    """The article as an editor illustrates it: a photo of 1 MB, described, captioned, credited."""
    if article.lead_image_id is None:
        article.lead_image = get_image_model().objects.create(
            title="Formes colorées", file=ImageFile(io.BytesIO(photo_bytes()), name="formes-colorees.jpg")
        )
        article.lead_image_alt = "Des formes colorées floues sur un fond bleu"
        article.lead_image_caption = "Une image de démonstration."
        article.lead_image_credit = "Image : MoroccoTech"
        article.save_revision().publish()
    return article


def main():
    fr = Locale.objects.get(language_code="fr")
    brand = BrandPage.objects.get(locale=fr)
    sources = {
        "home": HomePage.objects.get(locale=fr),
        "news": NewsIndexPage.objects.get(locale=fr),
        "article": with_lead_image(
            ArticlePage.objects.live().filter(locale=fr).order_by("-first_published_at").first()
        ),
        "events": EventIndexPage.objects.get(locale=fr),
        "event": EventPage.objects.live().filter(locale=fr).order_by("starts_at").first(),
        "brand": brand,
        "content": content_page(brand),
        "startups": StartupIndexPage.objects.get(locale=fr),
        "startup": StartupPage.objects.live().filter(locale=fr).order_by("title").first(),
        "form": StartupApplicationPage.objects.get(locale=fr),
        "figures": FiguresPage.objects.get(locale=fr),
    }
    organisation = Organisation.objects.filter(locale=fr).order_by("pk").first()
    urls = {}
    for code in LANGUAGES:
        pages = {name: translated(page, code) if code != "fr" else page for name, page in sources.items()}
        localized_brand = pages["brand"]
        urls[code] = {name: page.get_url() for name, page in pages.items()}
        urls[code]["organisations"] = localized_brand.get_url() + localized_brand.reverse_subpage("organisations")
        urls[code]["organisation"] = localized_brand.get_url() + localized_brand.reverse_subpage(
            "organisation", kwargs={"slug": organisation.slug}
        )
        urls[code]["search"] = f"/{code}/recherche/?q=maroc"
        urls[code]["not_found"] = f"/{code}/cette-page-n-existe-pas/"
        urls[code]["newsletter"] = f"/{code}/newsletter/"
    for code, path in founders_links().items():
        urls[code]["member_update"] = path
    print(json.dumps(urls))


def founders_links():
    """A founder's update link in French and one in Arabic, each on its own startup (a link serves once)."""
    startups = StartupPage.objects.live().filter(locale__language_code="fr").order_by("-title")[:2]
    links = {}
    for language, startup in zip(("fr", "ar"), startups, strict=True):
        application, _created = StartupApplication.objects.get_or_create(
            page=startup,
            defaults={
                "startup_name": startup.title,
                "founder_name": "Fondatrice de démonstration",
                "email": f"fondatrice-{language}@example.ma",
                "language": language,
                "status": StartupApplication.Status.APPROVED,
            },
        )
        links[language] = urlsplit(link_for(application, UPDATE)).path
    return links


def editor():
    """An editor for the admin's import, with the password tests/browser/test_admin.py logs in with."""
    user, _created = get_user_model().objects.get_or_create(username=EDITOR_USERNAME)
    user.set_password(EDITOR_PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=EDITORS))


editor()
main()

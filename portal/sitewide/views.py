import logging
import sys

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.static import serve as static_serve
from wagtail.models import Page

from portal.core import social_cards
from portal.sitewide.search import search  # noqa: F401  (routed from portal.urls)


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """/favicon.ico, where browsers and feed readers look without reading the page's <link>."""
    return HttpResponseRedirect(static("portal/icons/favicon.ico"))


@require_safe
@cache_control(max_age=30 * 86400, public=True)
def media(request, path):
    """An uploaded file, where no other server serves MEDIA_ROOT (SERVE_MEDIA, or DEBUG).

    A month in browsers and the caches in front: a file's name never gets other
    content (a replaced image is a new upload, a new crop or focal point a new
    rendition name).
    """
    return static_serve(request, path, document_root=settings.MEDIA_ROOT)


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    """Keep the admin, search results and API out of indexes; point crawlers to the sitemap."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /fr/recherche/",
        "Disallow: /ar/recherche/",
        "Disallow: /en/recherche/",
        "Disallow: /zgh/recherche/",
        "Disallow: /*?*q=",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


logger = logging.getLogger(__name__)

FALLBACK_500 = "<!DOCTYPE html><title>500</title><h1>Erreur du serveur / Server error</h1>"


def server_error(request):
    """The 500 page in the site's design and in the language of the URL that failed.

    Django's default handler renders 500.html without the request, so it could
    only ever be French. This one never touches the database (it may be what
    failed) and falls back to a bare page if even the template cannot render.
    When the database is what failed, the answer is 503 with Retry-After: the
    site is unavailable for a moment, not broken, and caches and crawlers
    should come back rather than record an error.
    """
    # Django calls this handler inside its `except` block: the exception is at hand.
    unavailable = isinstance(sys.exc_info()[1], DatabaseError)
    language = translation.get_language_from_path(request.path) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            html = loader.render_to_string("503.html" if unavailable else "500.html", request=None)
    except Exception:
        logger.exception("The error page itself failed to render")
        html = FALLBACK_500
    if unavailable:
        return HttpResponse(html, status=503, headers={"Retry-After": "30", "Cache-Control": "no-store"})
    return HttpResponseServerError(html)


@require_safe
def social_card(request, page_id, digest):
    """A published page's sharing image (portal.core.social_cards), drawn on its first request.

    The address names what the image shows: an older one (the title changed since it was
    shared) leads to the current image; the image itself never changes at an address.
    """
    page = Page.objects.live().public().filter(pk=page_id).first()
    current = social_cards.url_for(page.specific) if page is not None else None
    if current is None:
        raise Http404
    if current != request.path:
        return HttpResponseRedirect(current)
    name = social_cards.ensure(page.specific)
    response = FileResponse(default_storage.open(name), content_type="image/png")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response

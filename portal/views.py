from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from portal.search import search  # noqa: F401  (routed from portal.urls)


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
        "Disallow: /*?*q=",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")

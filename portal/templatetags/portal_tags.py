from django import template
from wagtail.models import Site

register = template.Library()


def home_sections(request, home):
    """The live, public pages right under a home page: one query per request, shared by the menu and the home."""
    cache = request.__dict__.setdefault("_portal_home_sections", {})
    if home.pk not in cache:
        cache[home.pk] = list(
            home.get_children()
            .live()
            .public()
            .only("id", "path", "url_path", "title", "locale", "content_type", "show_in_menus")
        )
    return cache[home.pk]


@register.simple_tag(takes_context=True)
def site_chrome(context):
    """Header and footer data (menu, footer, logo, contact): from the cache, see portal.navigation.

    The menu item of the section the visitor is in is marked current.
    """
    from django.utils import translation

    from portal.navigation import chrome_for

    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {}
    chrome = chrome_for(request, site, translation.get_language(), context.get("page"))
    path = request.path
    menu = [
        {
            **item,
            "active": item["url"] != chrome["home_url"] and bool(item["url"]) and path.startswith(item["url"]),
        }
        for item in chrome["menu"]
    ]
    return {**chrome, "menu": menu}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """Home › section › … › this page, for every page below a home page (one query)."""
    page = context.get("page")
    if page is None or getattr(page, "depth", 0) <= 2:
        return {"crumbs": []}
    ancestors = page.get_ancestors().filter(depth__gte=2).live().only("id", "path", "url_path", "title", "locale")
    request = context.get("request")
    crumbs = [{"title": ancestor.title, "url": ancestor.get_url(request)} for ancestor in ancestors]
    return {"crumbs": crumbs, "current": page.title}


@register.inclusion_tag("includes/language_links.html", takes_context=True)
def language_links(context, hreflang=False):
    """See compute_language_links; computed once per request, used by the head and the header."""
    request = context["request"]
    links = getattr(request, "_portal_language_links", None)
    if links is None:
        links = compute_language_links(context)
        request._portal_language_links = links
    return {**links, "hreflang": hreflang}


def compute_language_links(context):
    """The switcher (and, with hreflang=True, the <link rel="alternate"> tags) for this page.

    A language with a live translation of the page links to it; one without
    links to its home page, and says so. Sub-pages served by a page (an
    organisation under the brand page) keep their path below it.
    """
    from django.conf import settings
    from django.urls import translate_url
    from django.utils import translation

    from portal.models import HomePage

    request = context["request"]
    page = context.get("page")
    current = translation.get_language()
    links = []
    if page is not None and getattr(page, "pk", None):
        page_url = page.get_url(request) or ""
        remainder = request.path[len(page_url) :] if page_url and request.path.startswith(page_url) else ""
        translations = {
            p.locale.language_code: p
            for p in page.get_translations(inclusive=True).live().select_related("locale")
        }
        homes = {h.locale.language_code: h for h in HomePage.objects.live().select_related("locale")}
        for code, name in settings.LANGUAGES:
            target = translations.get(code)
            if target is not None:
                links.append({"code": code, "name": name, "url": target.get_url(request) + remainder,
                              "translated": True})  # fmt: skip
            elif code in homes:
                links.append(
                    {"code": code, "name": name, "url": homes[code].get_url(request), "translated": False}
                )
    else:
        # A view that is not a page (search): the same address in each language.
        for code, name in settings.LANGUAGES:
            links.append({"code": code, "name": name, "url": translate_url(request.get_full_path(), code),
                          "translated": True})  # fmt: skip
    default = next((link for link in links if link["code"] == settings.LANGUAGE_CODE and link["translated"]), None)
    return {
        "links": links,
        "current": current,
        "x_default": default,
        "request": request,
    }

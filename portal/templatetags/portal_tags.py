from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail.models import Site

from portal.core import artwork, i18n
from portal.core.cache import cached_value, translations_of
from portal.core.cache.fragments import CachedFragmentNode, render_cards
from portal.sitewide.models import HomePage
from portal.sitewide.navigation import chrome_for

register = template.Library()


@register.simple_tag(takes_context=True)
def cards(context, items, template_name, name, **extra):
    """Each item rendered with template_name (as `name`, with `extra`), the HTML from the cache (see render_cards)."""
    return render_cards(context, items, template_name, name, **extra)


@register.tag
def cached_fragment(parser, token):
    """{% cached_fragment "name" value… [timeout=seconds] %}…{% endcached_fragment %}: HTML kept while unchanged.

    For the parts that cost most to render and that no visitor changes: the
    header and the footer every page repeats, a listing's cards and
    pagination. Rendered once per language, host, page template and
    `value`s (the section the visitor is in; the page, filters and page
    number of a listing), then read from the cache (portal.core.cache.fragments) until
    a page or record read while rendering it changes, or `timeout` passes
    (what time alone changes: upcoming events). A page or record given as a
    value is a dependency as well (pass `page`, not `page.pk`, when its
    fields show). It must read what it shows inside itself ({% site_chrome %},
    a listing passed lazily), so that its dependencies are its own, and show
    nothing about the visitor.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("cached_fragment needs a name")
    timeout = None
    if bits[-1].startswith("timeout="):
        try:
            timeout = int(bits.pop()[len("timeout=") :])
        except ValueError:
            raise template.TemplateSyntaxError("cached_fragment's timeout is a number of seconds") from None
    nodelist = parser.parse(("endcached_fragment",))
    parser.delete_first_token()
    vary = [parser.compile_filter(bit) for bit in bits[2:]]
    return CachedFragmentNode(parser.compile_filter(bits[1]), vary, nodelist, timeout)


@register.simple_tag(takes_context=True)
def site_chrome(context):
    """Header and footer data (menu, footer, logo, contact): from the cache, see portal.sitewide.navigation.

    The menu item of the section the visitor is in is marked current.
    """
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
    active = next((item["url"] for item in menu if item["active"]), "")
    return {**chrome, "menu": menu, "active_url": active}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """Home › section › … › this page, for every page below a home page (one query, then cached).

    A view that is not a page, or a sub-page a page serves (an organisation
    under the brand page), names itself in `breadcrumb_current`, and what lies
    between the page and itself in `breadcrumb_trail` ({"title", "url"} each).
    """
    page = context.get("page")
    # The newsletter's views name themselves in page_title.
    current = context.get("breadcrumb_current") or (context.get("page_title") if page is None else None)
    trail = list(context.get("breadcrumb_trail") or [])
    request = context.get("request")
    if current and (page is None or not getattr(page, "pk", None)):
        # Search, newsletter: below this language's home.
        chrome = context.get("chrome") or {}
        home = {"title": _("Accueil"), "url": chrome.get("home_url") or f"/{translation.get_language()}/"}
        return {"crumbs": [home, *trail], "current": current}
    if page is None or (getattr(page, "depth", 0) <= 2 and not current):
        return {"crumbs": []}

    def compute():
        # Drafts too, filtered here: loading them tags them, so their publishing shows (portal.core.cache.tags).
        ancestors = (
            page.get_ancestors().filter(depth__gte=2).only("id", "path", "url_path", "title", "locale", "live")
        )
        return [{"title": a.title, "url": a.get_url(request)} for a in ancestors if a.live]

    host = request.get_host() if request else ""
    crumbs = cached_value("breadcrumbs", (host, page.pk), compute, shows=(page,)) if page.depth > 2 else []
    if crumbs:
        # "Home", not the home page's title: it is the site's name, which the brand page shares.
        crumbs = [{"title": _("Accueil"), "url": crumbs[0]["url"]}, *crumbs[1:]]
    if current:
        return {
            "crumbs": [*crumbs, {"title": page.title, "url": page.get_url(request)}, *trail],
            "current": current,
        }
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


def page_language_links(request, page, remainder):
    translations = {
        p.locale.language_code: p for p in page.get_translations(inclusive=True).live().select_related("locale")
    }
    homes = {h.locale.language_code: h for h in HomePage.objects.live().select_related("locale")}
    links = []
    for code, name in settings.LANGUAGES:
        target = translations.get(code)
        if target is not None:
            links.append(
                {"code": code, "name": name, "url": target.get_url(request) + remainder, "translated": True}
            )
        elif code in homes:
            links.append({"code": code, "name": name, "url": homes[code].get_url(request), "translated": False})
    return links


def compute_language_links(context):
    """The switcher (and, with hreflang=True, the <link rel="alternate"> tags) for this page.

    A language with a live translation of the page links to it; one without
    links to its home page, and says so. Sub-pages served by a page (an
    organisation under the brand page) keep their path below it.
    """
    request = context["request"]
    page = context.get("page")
    current = translation.get_language()
    if page is not None and getattr(page, "pk", None):
        page_url = page.get_url(request) or ""
        remainder = request.path[len(page_url) :] if page_url and request.path.startswith(page_url) else ""
        # The same for every visitor until content changes (portal.core.cache.cached_value).
        links = cached_value(
            "language-links",
            (request.get_host(), page.pk, remainder),
            lambda: page_language_links(request, page, remainder),
            # A translation published or unpublished, a home page added in a language.
            shows=(page, translations_of(page), HomePage),
        )
    else:
        # A view that is not a page (search): the same address in each language.
        links = [
            {"code": code, "name": name, "url": translate_url(request.get_full_path(), code), "translated": True}
            for code, name in settings.LANGUAGES
        ]
    default = next((link for link in links if link["code"] == settings.LANGUAGE_CODE and link["translated"]), None)
    return {
        "links": links,
        "current": current,
        "x_default": default,
        "request": request,
    }


@register.filter
def localized(record, page=None):
    """{{ sector|localized:page }}: the record in the visitor's language where it is translated (portal.core.i18n)."""
    return i18n.localized(record, page.locale_id if page else None)


@register.simple_tag(takes_context=True)
def lang_of(context, item):
    """lang and dir for content in another language than the page's (a French article on /ar/).

    Only on the content itself (title, summary): what the portal writes
    around it (dates, labels) is in the page's language.
    """
    page = context.get("page")
    if page is None or item.locale_id == page.locale_id:
        return ""
    # Without a query when the locale was not loaded: what a page shows in another language
    # than its own is the default language's (portal.core.i18n.in_language).
    code = item.locale.language_code if type(item).locale.is_cached(item) else i18n.default_language()
    return format_html(
        ' lang="{}" dir="{}"', code, "rtl" if translation.get_language_info(code)["bidi"] else "ltr"
    )


@register.simple_tag
def brand_mark(size=32):
    """The logo's mark, inline (decorative: the wordmark beside it names the portal)."""
    return mark_safe(  # noqa: S308 - our own drawing, from portal.core.artwork
        f'<svg class="brand-mark" viewBox="0 0 64 64" width="{int(size)}" height="{int(size)}" aria-hidden="true" '
        f'focusable="false">{artwork.mark()}</svg>'
    )


@register.simple_tag
def card_placeholder(item):
    """The picture of a card whose page has no lead image: one of the brand's placeholders, by the page's id."""
    return static(f"portal/brand/placeholder-{item.pk % len(artwork.PLACEHOLDER_TONES)}.svg")


@register.simple_tag
def hero_art():
    """The home hero's zellige, drawn by portal.core.artwork (decorative)."""
    return mark_safe(artwork.hero())  # noqa: S308 - our own drawing

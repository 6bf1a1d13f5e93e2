from django import template
from django.conf import settings
from django.db.models import Model
from django.urls import translate_url
from django.utils import translation
from django.utils.safestring import mark_safe
from wagtail.models import Site

from portal.core.cache import tags as cache_tags
from portal.core.cache.values import versioned, versioned_key
from portal.sitewide.models import HomePage
from portal.sitewide.navigation import chrome_for

register = template.Library()


@register.simple_tag(takes_context=True)
def cards(context, items, template_name, name, **extra):
    """Each item rendered with template_name (as `name`, with `extra`), the HTML from the cache.

    A card shows one item and nothing about the visitor: its HTML is kept
    until that item or what came loaded with it (its image, sector, tags)
    changes (portal.core.cache.tags), keyed by the item, the template, the
    language, the page's language (cards of another language carry
    lang/dir) and `extra`. Two cache round trips for the whole list; the
    missing cards are rendered and stored together.
    """
    items = list(items)
    if not items:
        return ""
    request = context.get("request")
    page = context.get("page")
    common = (
        template_name,
        translation.get_language(),
        getattr(page, "locale_id", None),
        request.get_host() if request else "",
        sorted(extra.items()),
    )
    keys = [versioned_key("card", *common, type(item).__name__, item.pk) for item in items]
    found = cache_tags.fetch_many(keys)
    missing, tags_of = {}, {}
    template = context.template.engine.get_template(template_name)
    html = []
    for key, item in zip(keys, items, strict=True):
        if key not in found:
            with cache_tags.collecting() as tags, context.push(**{name: item}, **extra):
                tags |= cache_tags.loaded_tags(item)
                found[key] = missing[key] = template.render(context)
            # What the card shows, not the listing it came in with: the page's own tags cover that.
            tags_of[key] = tags  # the collector passed them on to the page too
        html.append(found[key])
    if missing:
        cache_tags.store_many(missing, tags_of)
    return mark_safe("".join(html))  # noqa: S308 (rendered by our templates, which escape)


class CachedFragmentNode(template.Node):
    def __init__(self, name, vary, nodelist, timeout=None):
        self.name = name
        self.vary = vary
        self.nodelist = nodelist
        self.timeout = timeout

    def render(self, context):
        request = context.get("request")
        if request is None:  # an error page rendered without a request: nothing to key it by
            return self.nodelist.render(context)
        values, tags = [], []
        for value in (expression.resolve(context) for expression in self.vary):
            if isinstance(value, Model) and value.pk is not None:
                # A page or record named is a dependency too: its fields show (the home's
                # sections), and so may the relations it came loaded with (the brand page's partners).
                values.append(f"{value._meta.label_lower}:{value.pk}")
                tags.extend(cache_tags.loaded_tags(value, depth=None))
            else:
                values.append(value)
        parts = (
            self.name.resolve(context),
            # Pages may override blocks inside the fragment (the newsletter page drops the footer form).
            context.template.name if context.template else "",
            translation.get_language(),
            request.get_host(),
            *values,
        )

        def render():
            with context.push():
                return self.nodelist.render(context)

        # What the fragment reads while it renders (the header's data, a listing) is what it depends on.
        timeout = cache_tags.DEFAULT_TIMEOUT if self.timeout is None else self.timeout
        return cache_tags.cached(versioned_key("fragment", *parts), render, tags=tags, timeout=timeout)


@register.tag
def cached_fragment(parser, token):
    """{% cached_fragment "name" value… [timeout=seconds] %}…{% endcached_fragment %}: HTML kept while unchanged.

    For the parts that cost most to render and that no visitor changes: the
    header and the footer every page repeats, a listing's cards and
    pagination. Rendered once per language, host, page template and
    `value`s (the section the visitor is in; the page, filters and page
    number of a listing), then read from the cache (portal.core.cache.tags) until
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
    """Home › section › … › this page, for every page below a home page (one query, then cached)."""
    page = context.get("page")
    if page is None or getattr(page, "depth", 0) <= 2:
        return {"crumbs": []}
    request = context.get("request")

    def compute():
        # Drafts too, filtered here: loading them tags them, so their publishing shows (portal.core.cache.tags).
        ancestors = (
            page.get_ancestors().filter(depth__gte=2).only("id", "path", "url_path", "title", "locale", "live")
        )
        return [{"title": a.title, "url": a.get_url(request)} for a in ancestors if a.live]

    host = request.get_host() if request else ""
    crumbs = versioned("breadcrumbs", (host, page.pk), compute, tags=(cache_tags.page_tag(page.pk),), tables=False)
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
        # The same for every visitor until content changes: cached (see portal.core.cache.values.versioned).
        links = versioned(
            "language-links",
            (request.get_host(), page.pk, remainder),
            lambda: page_language_links(request, page, remainder),
            # Not by the tables read: translations are read through the page's own kind.
            tags=(
                cache_tags.page_tag(page.pk),
                cache_tags.translations_tag(page.translation_key),
                cache_tags.type_tag(HomePage),
            ),
            tables=False,
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

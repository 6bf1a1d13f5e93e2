"""Cached HTML: the cards of a listing and fragments of a page (registered as template tags by portal_tags).

Both keep their HTML with the tags of what they showed (portal.core.cache.tags).
"""

from django import template
from django.db.models import Model
from django.utils import translation
from django.utils.safestring import mark_safe

from portal.core.cache import tags as cache_tags
from portal.core.cache.values import versioned_key


def render_cards(context, items, template_name, name, **extra):
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

"""Listings whose counts and items come from the cache while content is unchanged.

Counting the matches of a listing (every live article in a language, the
startups in a sector) and sorting them are the largest queries of a page as
content grows, and their answers change only when content does: they are
cached until a page or record of a kind they show changes (their
queryset's model, and what `shows` adds: the kinds a filter reads across a
relation), under a key the caller names: everything the queryset is built
from (the page, the filters, the minute). A query that depends on the time
must round it (to the minute, say), or every request would make a new key.
"""

from django.core.paginator import Paginator
from django.utils.functional import SimpleLazyObject, cached_property

from portal.core.cache import RESTRICTIONS, cached_value


def cached_list(queryset, timeout=None, key=None, shows=()):
    """list(queryset), from the cache while content is unchanged.

    `key` is a tuple naming the listing and everything its queryset is
    built from; without one (a listing of what a visitor made up, such as
    an unknown tag) the list is not cached. It depends on the queryset's
    model, on `shows` and on the view restrictions its queryset left out.
    """
    if key is None:
        return list(queryset)
    parts = (queryset.model._meta.label, *key)
    return cached_value("list", parts, lambda: list(queryset), **_options(queryset, shows, timeout))


def _options(queryset, shows, timeout):
    options = {"timeout": timeout} if timeout else {}
    options["shows"] = (queryset.model, *shows, RESTRICTIONS)
    return options


def cached_page(queryset, per_page, number, timeout=None, key=None, shows=()):
    """The page `number` of a listing, its items read from the cache while content is unchanged.

    Keyed by `key` (see cached_list) and the page number; the items keep
    what was prefetched and selected with them.
    """
    page = CachedCountPaginator(queryset, per_page, key=key, timeout=timeout, shows=shows).get_page(number)
    page_key = None if key is None else (*key, "page", per_page, page.number)
    items = page.object_list
    # Read when first shown: a template fragment cached around the listing never reads them.
    page.object_list = SimpleLazyObject(lambda: cached_list(items, timeout, key=page_key, shows=shows))
    return page


class CachedCountPaginator(Paginator):
    def __init__(self, object_list, per_page, key=None, timeout=None, shows=(), **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.key = key
        self.timeout = timeout
        self.shows = shows

    @cached_property
    def count(self):
        if self.key is None or not hasattr(self.object_list, "model"):
            return super().count
        parts = (self.object_list.model._meta.label, *self.key)
        options = _options(self.object_list, self.shows, self.timeout)
        return cached_value("count", parts, lambda: super(CachedCountPaginator, self).count, **options)

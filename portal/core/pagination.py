"""Listings whose counts and items come from the cache while content is unchanged.

Counting the matches of a listing (every live article in a language, the
startups in a sector) and sorting them are the largest queries of a page as
content grows, and their answers change only when content does: they are
cached until a page or record of a kind they read changes
(portal.core.cache.values.versioned), keyed by the query's SQL. A query that depends on the time must round it (to the
minute, say), or every request would make a new key.
"""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import SimpleLazyObject, cached_property

from portal.core.cache import tags as cache_tags
from portal.core.cache.values import versioned


def cached_list(queryset, timeout=None, key=None):
    """list(queryset), from the cache while content is unchanged.

    Keyed by its SQL and prefetches, or by `key` when the caller gives one:
    a tuple naming the listing and everything its queryset is built from
    (the page, the filters, the minute), which spares compiling the SQL just
    to make a key (a millisecond or two per listing, on every request). A
    keyed listing also depends on the view restrictions, which its SQL would
    otherwise have carried.
    """
    if key is not None:
        parts = ("keyed", queryset.model._meta.label, *key)
        return versioned("list", parts, lambda: list(queryset), **_options(timeout))
    try:
        sql = str(queryset.query)
    except EmptyResultSet:
        return []
    parts = (queryset.model._meta.label, sql, repr(queryset._prefetch_related_lookups))
    return versioned("list", parts, lambda: list(queryset), **_options(timeout, keyed=False))


def _options(timeout, keyed=True):
    options = {"timeout": timeout} if timeout else {}
    if keyed:
        options["tags"] = (cache_tags.RESTRICTIONS,)
    return options


def cached_page(queryset, per_page, number, timeout=None, key=None):
    """The page `number` of a listing, its items read from the cache while content is unchanged.

    Keyed by the page's SQL (filters, order, slice) and the prefetches, or
    by `key` (see cached_list); the items keep what was prefetched and
    selected with them.
    """
    page = CachedCountPaginator(queryset, per_page, key=key, timeout=timeout).get_page(number)
    page_key = None if key is None else (*key, "page", per_page, page.number)
    items = page.object_list
    # Read when first shown: a template fragment cached around the listing never reads them.
    page.object_list = SimpleLazyObject(lambda: cached_list(items, timeout, key=page_key))
    return page


class CachedCountPaginator(Paginator):
    def __init__(self, object_list, per_page, key=None, timeout=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.key = key
        self.timeout = timeout

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is None:
            return super().count
        label = self.object_list.model._meta.label
        if self.key is not None:
            parts, options = ("keyed", label, *self.key), _options(self.timeout)
        else:
            try:
                sql = str(query)
            except EmptyResultSet:  # .none(): nothing to count
                return 0
            parts, options = (label, sql), _options(self.timeout, keyed=False)
        return versioned("count", parts, lambda: super(CachedCountPaginator, self).count, **options)

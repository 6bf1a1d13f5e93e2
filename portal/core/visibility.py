"""Which pages a visitor may see: view restrictions answered from the shared cache.

`public(queryset)` is PageQuerySet.public() without its query;
`visible(queryset, locale)` is the whole rule of a public listing: live,
public, in this language (portal.core.i18n).
"""

from django.db.models import Q
from wagtail.models import PageViewRestriction

from portal.core.cache import RESTRICTIONS, cached_value, depends_on, request_memo
from portal.core.i18n import in_language


def restricted_paths():
    """Tree paths of the pages carrying a view restriction (private, password, groups)."""
    # Asked by every listing of a page and by its own restriction check: once per request.
    memo = request_memo()
    if memo is not None and "restricted" in memo:
        depends_on(RESTRICTIONS)
        return memo["restricted"]
    paths = cached_value(
        "restricted",
        ("all",),
        lambda: sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True))),
        shows=(RESTRICTIONS,),
    )
    if memo is not None:
        memo["restricted"] = paths
    return paths


def public(queryset):
    """PageQuerySet.public() without its query: hides pages at or below a restricted page."""
    condition = Q()
    for path in restricted_paths():
        condition &= ~Q(path__startswith=path)
    return queryset.filter(condition)


def visible(queryset, locale=None):
    """What a visitor of `locale`'s pages may be shown: live, public, and in that language
    (or the French original while there is no translation, portal.core.i18n)."""
    queryset = public(queryset.live())
    return queryset if locale is None else in_language(queryset, locale)

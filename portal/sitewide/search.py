"""The site search (/fr/recherche/): articles, events, startups, organisations, pages.

Pages of every type are searched in one query against Wagtail's index, the
organisation snippets in another; both are ranked by the same backend, and
the results are merged by score. On PostgreSQL the index uses French stemming
without accents (portal migration 0004), and pages are ranked by
portal.sitewide.search_postgres: Wagtail's ranking, in one statement that stays fast
when a word is in most pages.
"""

import functools
import re
from collections import defaultdict
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import connection
from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Locale, Page, get_page_models
from wagtail.search.utils import normalise_query_string

from brand.models import BrandPage, Organisation
from portal.core.cache import cached_value, children_of, depends_on, depends_on_text
from portal.core.i18n import default_language, in_language
from portal.core.query_params import clean_param
from portal.core.search_analysis import query_text
from portal.core.text_matching import fold
from portal.core.visibility import public
from portal.sitewide import search_hits, search_postgres
from portal.sitewide.highlight import highlight
from portal.sitewide.models import HomePage

RESULTS_PER_PAGE = 20
MAX_RESULTS = 200


# The groups a visitor can narrow a search to, in the order the filter shows them.
GROUP_LABELS = {
    "articles": _("Articles"),
    "events": _("Événements"),
    "startups": _("Startups"),
    "organisations": _("Organisations"),
    "pages": _("Pages"),
}


@functools.cache
def result_types():
    """{group: (label, models)}: every page type by its search_result_group, and the organisations."""
    groups = {"organisations": [Organisation]}
    for model in get_page_models():
        group = getattr(model, "search_result_group", None)
        if group is not None and not model._meta.abstract:
            groups.setdefault(group, []).append(model)
    return {
        group: (GROUP_LABELS.get(group, group), sorted(groups[group], key=lambda m: m._meta.label))
        for group in [*GROUP_LABELS, *sorted(set(groups) - set(GROUP_LABELS))]
        if group in groups
    }


def snippet_source(obj):
    for name in ("standfirst", "summary", "pitch", "introduction", "description"):
        value = getattr(obj, name, "")
        if value:
            return re.sub(r"<[^>]+>", " ", str(value))
    return ""


def result_date(obj):
    for name in ("published_on", "starts_at", "member_since"):
        value = getattr(obj, name, None)
        if value:
            return value
    return None


def search_terms(q, language):
    """What the index is asked for: the keys of the query's words (portal.core.search_analysis).

    Only words reach the backend, never query syntax: full-text engines give
    meaning to quotes, dashes, stars and parentheses (SQLite's FTS5 fails on
    an unbalanced quote), which visitors do not mean. Every key must be found.
    """
    return query_text(q[:200], language)


def search_pages(q, terms, models, locale):
    """The pages and organisations matching `terms` (search_terms of the query q), best first."""
    page_models = [m for m in models if m is not Organisation]
    found = []
    # Elsewhere than in French, the French originals of what has no translation (portal.core.i18n).
    default = default_language()
    default_locale = (
        None if locale.language_code == default else cached_value("locale", (default,), Locale.get_default)
    )
    if page_models and search_postgres.available():
        # The same ranking, cheaper for common words (see the module).
        hits = search_postgres.ranked_pages(terms, page_models, locale, MAX_RESULTS, default_locale)
        found += [(score, PageHit(*row)) for *row, score in hits]
    elif page_models:  # SQLite (FTS5), or another search backend
        queryset = in_language(public(Page.objects.live()), locale, default_locale).type(*page_models)
        # Plain pages, and only what ranking needs: the page of results shown
        # is made specific afterwards (specific_objects), not all 200 matches.
        hits = queryset.only("id", "title", "content_type_id").search(terms, operator="and")
        found += [(relevance(hit), hit) for hit in hits.annotate_score("_score")[:MAX_RESULTS]]
    if Organisation in models:
        organisations = in_language(Organisation.objects.live(), locale, default_locale)
        organisations = organisations.search(terms, operator="and")
        found += [(relevance(hit), hit) for hit in organisations.annotate_score("_score")[:MAX_RESULTS]]
    # Exact names first (a search for "APEBI" opens on the APEBI, not on a page
    # mentioning it): not every backend weighs the boosted fields.
    wanted = fold(q)
    found.sort(key=lambda pair: (is_exact_name(pair[1], wanted), pair[0]), reverse=True)
    return [obj for _score, obj in found]


def relevance(hit):
    """The backend's score of a hit, the higher the better.

    SQLite's FTS5 ranks with bm25(), which is negative and the lower the
    better (the backend orders by it ascending); PostgreSQL's ts_rank is the higher the better.
    """
    score = hit._score or 0
    return -score if connection.vendor == "sqlite" else score


class PageHit(NamedTuple):
    """A page found by the search, before the results shown are loaded (specific_objects)."""

    pk: int
    title: str
    content_type_id: int


def specific_objects(objects):
    """The results shown, pages as their own type (one query per type), in the same order."""
    page_types = (Page, PageHit)
    ids_by_type = defaultdict(list)
    for obj in objects:
        if isinstance(obj, page_types):
            ids_by_type[obj.content_type_id].append(obj.pk)
    specific = {}
    for content_type_id, ids in ids_by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None:
            pages = model._default_manager.filter(pk__in=ids)
            if any(field.name == "body" for field in model._meta.concrete_fields):
                pages = pages.defer("body")  # the snippet comes from the standfirst or summary
            specific.update((page.pk, page) for page in pages)
    # A page deleted since the search is left out.
    return [
        specific.get(obj.pk) if isinstance(obj, page_types) else obj
        for obj in objects
        if not isinstance(obj, page_types) or obj.pk in specific
    ]


def is_exact_name(obj, wanted):
    names = (getattr(obj, "title", ""), getattr(obj, "name", ""), getattr(obj, "acronym", ""))
    return any(name and fold(name) == wanted for name in names)


def search(request):
    q = clean_param(request, "q", 200)
    chosen = clean_param(request, "type", 20)
    types = result_types()
    if chosen not in types:
        chosen = ""
    # Saving a locale drops every cached value, so the cached one is never stale.
    locale = cached_value("locale", (get_language(),), Locale.get_active)
    # Results, promoted results and the sections offered come from queries of
    # this view's own: a cached answer (portal.core.cache.page_cache) depends on every kind searched.
    searchable = [m for _label, ms in types.values() for m in ms]
    depends_on(SearchPromotion)
    depends_on_text(*searchable)
    results, promotions = [], []
    # A query of punctuation alone has nothing to search for.
    terms = search_terms(q, get_language())
    searched = bool(terms)
    if searched:
        models = types[chosen][1] if chosen else searchable
        # The ranked matches, the same for every visitor until content changes: a
        # query asked again (the popular ones, the next results page) is not run again.
        results = cached_value(
            "search",
            (terms, fold(q), sorted(model._meta.label for model in models), locale.pk),
            lambda: ranked(q, terms, models, locale),
        )
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    if searched and page.number == 1:
        # Counted once per search, not per results page: editors see popular
        # queries and promote results for them in the admin.
        search_hits.record(q)
        promotions = promotions_for(q)
    # Read when shown: the template keeps the results' HTML (portal_tags.cached_fragment),
    # so a query asked again loads, highlights and renders none of them.
    items = SimpleLazyObject(lambda: result_items(request, page, q, types, searchable, locale))
    return TemplateResponse(
        request,
        "portal/search.html",
        {
            "q": q,
            "breadcrumb_current": _("Recherche"),
            # Inside a sentence of another direction (a Latin name in Arabic), the query keeps its own order.
            "q_isolated": format_html("<bdi>{}</bdi>", q),
            "chosen_type": chosen,
            "type_choices": [(key, label) for key, (label, _ms) in types.items()],
            "results": page,
            "items": items,
            "promotions": promotions,
            "searched": searched,
            "menu_sections": SimpleLazyObject(
                lambda: menu_sections(request, locale) if searched and not results else []
            ),
            "extra_query": urlencode({k: v for k, v in (("q", q), ("type", chosen)) if v}),
        },
    )


def ranked(q, terms, models, locale):
    # The ranking reads the search index: it changes with any text of the kinds searched.
    depends_on_text(*models)
    return search_pages(q, terms, models, locale)


def result_items(request, page, q, types, searchable, locale):
    """What the results page shows of each result: its type, address, date and highlighted text."""
    # The results listed change with every kind searched (the ranking is computed outside the fragment).
    depends_on_text(*searchable)
    type_of = {model: key for key, (_label, ms) in types.items() for model in ms}
    organisations_base = organisation_base_url(request, locale)
    shown = specific_objects(page.object_list)
    codes = {}
    if any(obj.locale_id != locale.pk for obj in shown):
        # Saving a locale drops every cached value: this one needs no tag of its own.
        codes = cached_value("locale-codes", (), lambda: dict(Locale.objects.values_list("pk", "language_code")))
    return [
        {
            "object": obj,
            # The French original of what this language has no translation of, marked as such (lang).
            "lang": codes.get(obj.locale_id, "") if obj.locale_id != locale.pk else "",
            "type": types[type_of[type(obj)]][0],
            "url": obj.get_url(request) if hasattr(obj, "get_url") else f"{organisations_base}{obj.slug}/",
            "date": result_date(obj),
            "snippet": highlight(snippet_source(obj), q),
            "title": highlight(str(getattr(obj, "title", None) or obj.name), q, length=300),
        }
        for obj in shown
    ]


def promotions_for(q):
    """The editors' promoted results for this query (at most three), live pages only."""

    def compute():
        promoted = (
            SearchPromotion.objects.filter(query__query_string=normalise_query_string(q))
            .select_related("page")
            .order_by("sort_order")
        )
        # Drafts too, filtered here: loading a promoted page tags the value, so its publishing shows.
        return [promotion for promotion in promoted if promotion.page is not None and promotion.page.live][:3]

    return cached_value("search-promotions", (normalise_query_string(q),), compute, shows=(SearchPromotion,))


def organisation_base_url(request, locale):
    """Where organisation pages live (under the brand page), looked up once per search."""

    def compute():
        brand = BrandPage.objects.live().filter(locale=locale).first()
        if brand is None:
            return ""
        return brand.get_url(request) + brand.reverse_subpage("organisations")

    depends_on(BrandPage)
    return cached_value("organisations-url", (locale.pk, request.get_host()), compute, shows=(BrandPage,))


def menu_sections(request, locale):
    """The site's sections, offered when a search finds nothing."""
    home = HomePage.objects.filter(locale=locale).first() or HomePage.objects.first()
    if home is None:
        return []
    depends_on(HomePage, children_of(home))
    return [{"title": p.title, "url": p.get_url(request)} for p in home.get_children().live().in_menu()]

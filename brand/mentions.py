"""Linking articles to the organisations and startups they name.

Recomputed when an article is published (from its live content), when a
startup is published, and when an organisation is created or edited in the
admin (its names may have changed). The links are materialised in
ArticleMention / StartupMention so that listing them costs one query.

Refreshing every article is linear in the number of articles times the
number of names; fine for thousands of articles, and only done on the rare
organisation edit.
"""

from django.db import transaction

from brand.models import ArticleMention, ArticleOrganisationLink, Organisation, StartupMention, StartupPage
from portal.core.cache import invalidate
from portal.core.text_matching import compile_terms, find_keys, page_text
from portal.news.models import ArticlePage

# The label's own names: an article naming them appears on the brand page.
BRAND_NAMES = ["MoroccoTech", "Morocco Tech"]
BRAND_TERMS = compile_terms([("brand", BRAND_NAMES)])


# Compiled terms by kind, with the names they were compiled from: a moderator's
# publishes reuse them until a name changes (compiling two thousand names is
# a quarter of a second).
_compiled = {}


def compiled_terms(kind, entries):
    entries = [(key, list(names)) for key, names in entries]
    known = _compiled.get(kind)
    if known is None or known[0] != entries:
        _compiled[kind] = (entries, compile_terms(entries))
    return _compiled[kind][1]


def organisation_terms():
    """Every live record's names, keyed by its translation group's first record (the French one).

    An organisation in three languages is one organisation: an article naming
    "APEBI" gets one link, whichever record's names matched; the organisation's
    pages in every language list it (they follow the translation key).
    """
    names = {}
    for organisation in Organisation.objects.live().order_by("pk"):
        first = names.setdefault(organisation.translation_key, (organisation.pk, []))
        first[1].extend(organisation.mention_names())
    return compiled_terms("organisations", names.values())


def startup_terms():
    # Rows, not pages: building two thousand page objects was half of every article's publish.
    live = StartupPage.objects.live().values_list("pk", "title")
    return compiled_terms("startups", ((pk, StartupPage.names_from(title)) for pk, title in live))


def article_text(article):
    return page_text(article.title, article.standfirst, body=article.body)


def links_changed():
    """The organisation, startup and brand pages list articles through these links:
    an article entering or leaving them changes listings of articles."""
    invalidate(ArticlePage)


def refresh_article(article):
    """Recompute one article's links from its live content and its editors' choices."""
    if relink_article(article, organisation_terms(), startup_terms()):
        links_changed()


@transaction.atomic
def relink_article(article, org_terms, startup_terms_):
    """refresh_article's work, without the cache bump; True when a link changed."""
    text = article_text(article)

    named = find_keys(text, org_terms)
    choices = dict(
        ArticleOrganisationLink.objects.filter(article=article).values_list("organisation_id", "relation")
    )
    linked = {pk for pk, relation in choices.items() if relation == ArticleOrganisationLink.Relation.LINK}
    unlinked = {pk for pk, relation in choices.items() if relation == ArticleOrganisationLink.Relation.UNLINK}
    wanted = (named | linked) - unlinked
    removed, _ = ArticleMention.objects.filter(article=article).exclude(organisation_id__in=wanted).delete()
    existing = set(ArticleMention.objects.filter(article=article).values_list("organisation_id", flat=True))
    added = ArticleMention.objects.bulk_create(
        ArticleMention(article=article, organisation_id=pk, named_in_text=pk in named) for pk in wanted - existing
    )
    changed = bool(removed or added)

    startups = find_keys(text, startup_terms_)
    removed, _ = StartupMention.objects.filter(article=article).exclude(startup_id__in=startups).delete()
    existing = set(StartupMention.objects.filter(article=article).values_list("startup_id", flat=True))
    added = StartupMention.objects.bulk_create(
        StartupMention(article=article, startup_id=pk) for pk in startups - existing
    )
    changed = changed or bool(removed or added)

    mentions_brand = bool(find_keys(text, BRAND_TERMS))
    if article.mentions_brand != mentions_brand:
        ArticlePage.objects.filter(pk=article.pk).update(mentions_brand=mentions_brand)
        article.mentions_brand = mentions_brand
        changed = True
    return changed


def refresh_all_articles():
    org_terms, terms = organisation_terms(), startup_terms()
    count, changed = 0, False
    for article in ArticlePage.objects.live().iterator():
        changed = relink_article(article, org_terms, terms) or changed
        count += 1
    if changed:
        links_changed()  # once for the whole run, not once per article
    return count


def refresh_startup(startup):
    """Recompute which live articles name one startup (it was just published or renamed)."""
    terms = compile_terms([(startup.pk, startup.mention_names())])
    naming = {
        article.pk
        for article in ArticlePage.objects.live().only("pk", "title", "standfirst", "body").iterator()
        if find_keys(article_text(article), terms)
    }
    removed, _ = StartupMention.objects.filter(startup=startup).exclude(article_id__in=naming).delete()
    existing = set(StartupMention.objects.filter(startup=startup).values_list("article_id", flat=True))
    added = StartupMention.objects.bulk_create(
        StartupMention(article_id=pk, startup=startup) for pk in naming - existing
    )
    if removed or added:
        links_changed()

"""Listing content in a language that not everything is translated into yet.

Most articles exist only in French. The Arabic and English listings show
what is translated into their language and, for the rest, the French
original, marked as French (lang="fr" and a visible label): a visitor
finds the news rather than an empty page, and knows what language to
expect. One query either way: the untranslated set is a subquery.
"""

from django.conf import settings
from django.db.models import Q
from wagtail.coreutils import get_supported_content_language_variant


def default_language():
    # What Locale.get_default() looks up, without its query: a listing calls this on every request.
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def in_language(queryset, locale, default_locale=None):
    """Items in `locale`, plus default-language items that have no translation into it.

    default_locale, the default language's Locale, if the caller has it: the
    filter is then on the locale column alone (what a search index can filter on).
    """
    default = default_language()
    if locale.language_code == default:
        return queryset.filter(locale=locale)
    # Translated means shown in that language under the same rules (live, public): a draft
    # translation must not hide the original.
    translated = queryset.filter(locale=locale).values("translation_key")
    in_default = Q(locale=default_locale) if default_locale else Q(locale__language_code=default)
    return queryset.filter(Q(locale=locale) | (in_default & ~Q(translation_key__in=translated)))

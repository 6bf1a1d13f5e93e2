"""Listing content in a language that not everything is translated into yet.

Most articles exist only in French. The Arabic and English listings show
what is translated into their language and, for the rest, the French
original, marked as French (lang="fr" and a visible label): a visitor
finds the news rather than an empty page, and knows what language to
expect. One query either way: the untranslated set is a subquery.
"""

from django.db.models import Q
from wagtail.models import Locale


def in_language(queryset, locale):
    """Items in `locale`, plus default-language items that have no translation into it."""
    default = Locale.get_default()
    if locale.pk == default.pk:
        return queryset.filter(locale=locale)
    translated = queryset.model.objects.filter(locale=locale).values("translation_key")
    return queryset.filter(Q(locale=locale) | (Q(locale=default) & ~Q(translation_key__in=translated)))

"""Listing content in a language that not everything is translated into yet.

Most articles exist only in French. The Arabic and English listings show
what is translated into their language and, for the rest, the French
original, marked as French (lang="fr" and a visible label): a visitor
finds the news rather than an empty page, and knows what language to
expect. One query either way: the untranslated set is a subquery.
"""

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant

from portal.core.cache import cached_value


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


def active_language():
    return get_supported_content_language_variant(translation.get_language() or settings.LANGUAGE_CODE)


def localized(record, locale_id=None):
    """`record`'s translation into the visitor's language, or `record` itself where it has none.

    For the short controlled lists a page names next to content that may be
    in another language (a French startup's sectors and city on an Arabic
    card): the names are the visitor's, the links (slugs) the same. One
    cached map per list and language, whatever the number of cards.
    locale_id, the page's locale if the caller has it: a record already in
    it is returned without a look (a French page's French sectors).
    """
    if record is None or record.locale_id == locale_id:
        return record
    model, language = type(record), active_language()
    # Read from this process's copy while the list is unchanged (portal.core.cache), and
    # recorded as a dependency of whatever cached fragment shows it.
    translations = cached_value(
        "translations",
        (model._meta.label, language),
        lambda: {r.translation_key: r for r in model.objects.filter(locale__language_code=language)},
        shows=(model,),
    )
    return translations.get(record.translation_key, record)

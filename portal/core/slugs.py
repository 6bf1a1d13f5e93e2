"""Slugs for pages created by code (imports, forms), unique among their siblings."""

from anyascii import anyascii
from django.utils.text import slugify


def ascii_slug(text):
    """The portal's one rule for addresses: ASCII, accents folded, other scripts transliterated."""
    return slugify(anyascii(text))[:80].strip("-")


def unique_child_slug(parent, title, fallback="page", exclude_pk=None):
    """An ASCII slug from the title, with -2, -3... appended if a sibling has it already.

    ASCII because these addresses are shared in e-mails and social posts where
    percent-encoded accents read badly; editors can still choose another.
    """
    base = ascii_slug(title) or fallback
    siblings = parent.get_children()
    if exclude_pk:
        siblings = siblings.exclude(pk=exclude_pk)
    taken = set(siblings.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug

"""Words as the site search compares them, in French, English and Arabic, the same on every database.

The search index (SQLite's FTS5, PostgreSQL's text search) compares words
as they come. Neither knows that "startups" is "startup", that "start-up"
and "l'écosystème" hide "startup" and "écosystème", or that "بالمغرب" is
"المغرب" with a preposition. So pages are indexed, and queries searched,
through the same analysis, done here:

- a document (``index_text``) keeps each word as written (lower case, no
  accents, so that an exact word and the admin's own search still match)
  and adds its keys: its French and English stems for a word in Latin
  script, whatever the page's language (an Arabic page quotes French names,
  the English section lists French articles), and its light stem for an
  Arabic word;
- a query (``query_text``) becomes the keys of its words in the visitor's
  language, without the function words, so that every key must be found.

French and English stems are Snowball's (snowballstemmer). Its Arabic
stemmer gives different stems to forms of one word ("شركات" and
"الشركات" are "شركا" and "شرك"), so Arabic words get a light stemmer of
ours in the manner of Larkey, Ballesteros and Connell's "light10":
normalised letters, the conjunction, the article and its prepositions
off the front, the common suffixes off the end.
"""

import re
from functools import cache, lru_cache

import snowballstemmer
from django.utils.html import strip_tags
from wagtail.search import index

from portal.core.text_matching import fold

# Bumped whenever index_text() writes other keys: setup_portal then rebuilds the index
# (portal.sitewide.setup.ensure_search_index), since pages indexed before would not match.
ANALYSIS_VERSION = "1"

# Letters and digits of any script, joined by hyphens (the Arabic marks are gone by then: words()).
WORD = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)*")
# French elisions: l'écosystème, d’une, qu'il, jusqu'à.
ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’](?=\w)", re.IGNORECASE)
HYPHENS = re.compile(r"[-‐‑]")

ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
# Harakat, shadda, sukun, superscript alef, Quranic marks; tatweel.
ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
ARABIC_LETTERS_MAP = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        "ة": "ه",
    }
)
# Arabic-Indic and Eastern Arabic-Indic digits read as the digits they are: "٢٠٢٤" is 2024.
DIGITS_MAP = str.maketrans(
    {**{chr(0x0660 + n): str(n) for n in range(10)}, **{chr(0x06F0 + n): str(n) for n in range(10)}}
)
# The article with the prepositions written onto it, longest first.
ARABIC_ARTICLES = ("وال", "فال", "بال", "كال", "لل", "ال")
# light10's suffixes, in its order (after normalisation: ة is ه).
ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")

# What a query needs not find: the words every text has. Ours, short on purpose:
# a word left out here is still searched, a word put in wrongly is never.
STOP_WORDS = {
    "fr": frozenset(
        "le la les un une des du de au aux et ou en a pour par sur dans avec ce cet cette ces qui que quoi "  # noqa: SIM905
        "dont ne pas plus se sa son ses leur leurs est sont il elle ils elles on nous vous".split()
    ),
    "en": frozenset(
        "the a an of and or in on for to with by at from is are was were be it its this that these "  # noqa: SIM905
        "those as".split()
    ),
    "ar": frozenset(
        word.translate(ARABIC_LETTERS_MAP)
        for word in "في من على الى إلى عن مع هذا هذه ذلك تلك التي الذي الذين و او أو ثم قد لا ما هو هي".split()  # noqa: SIM905
    ),
}
# Words whose stems and keys each process keeps: a whole site's vocabulary while indexing
# it in bulk, bounded so that a long-running worker stays within tens of megabytes.
WORDS_REMEMBERED = 50_000
# The stemmer for the Latin words of a query, by the visitor's language (Amazigh pages list French content).
QUERY_LATIN_STEMMER = {"en": "english"}
DEFAULT_LATIN_STEMMER = "french"


@cache
def _stemmer(name):
    return snowballstemmer.stemmer(name)


@lru_cache(maxsize=WORDS_REMEMBERED)
def latin_stem(word, stemmer):
    """A lower-case Latin word's stem, taken without its accents: visitors often type none, and
    Snowball's French gives "cybersécurité" and "cybersecurite" different stems."""
    return _stemmer(stemmer).stemWord(fold(word))


def normalise_arabic(word):
    return ARABIC_MARKS.sub("", word).translate(ARABIC_LETTERS_MAP)


@lru_cache(maxsize=WORDS_REMEMBERED)
def arabic_stem(word):
    """A normalised Arabic word's light stem (see the module)."""
    if len(word) > 3 and word[0] == "و":
        word = word[1:]
    for article in ARABIC_ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            word = word[len(article) :]
            # "الوكالة" as "وكالة": the word's own و goes too, whichever form came.
            if len(word) > 3 and word[0] == "و":
                word = word[1:]
            break
    for suffix in ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word


def words(text, parts=True):
    """The words of a text, lower case, elisions off, a hyphenated word joined up ("startup")
    and, with parts, also word by word ("start", "up")."""
    # Without the Arabic marks first: a vowel sign is no letter, and would cut its word in pieces.
    text = ARABIC_MARKS.sub("", str(text or "").casefold().translate(DIGITS_MAP))
    text = ELISION.sub("", text)
    for match in WORD.finditer(text):
        word = match.group()
        if HYPHENS.search(word):
            yield HYPHENS.sub("", word)
            if parts:
                yield from HYPHENS.split(word)
        else:
            yield word


def is_arabic(word):
    return ARABIC_LETTER.search(word) is not None


# The search backends read each field several times over while indexing one page
# (title, body, their plain-text copies for fuzzy matching): the same text is analysed once.
@lru_cache(maxsize=256)
def index_text(text):
    """What the index keeps of a text: each word as written, then its keys (see the module)."""
    return " ".join(key for word in words(text) for key in word_keys(word))


@lru_cache(maxsize=WORDS_REMEMBERED)
def word_keys(word):
    """A word as written and its keys, each once."""
    if is_arabic(word):
        plain = normalise_arabic(word)
        keys = (plain, arabic_stem(plain))
    else:
        plain = fold(word)
        keys = (plain, latin_stem(word, "french"), latin_stem(word, "english"))
    return tuple(key for key in dict.fromkeys(keys) if key)


def query_text(query, language):
    """The keys a visitor's query must find, in their language: one per word, function words left out
    unless nothing else is asked."""
    language = (language or "fr").split("-")[0]
    latin = QUERY_LATIN_STEMMER.get(language, DEFAULT_LATIN_STEMMER)
    keys, stopped = [], []
    # A hyphenated word is searched joined up: the index has that form of every spelling.
    for word in words(query, parts=False):
        if is_arabic(word):
            plain = normalise_arabic(word)
            key, stop = arabic_stem(plain), plain in STOP_WORDS["ar"]
        else:
            key = latin_stem(word, latin)
            stop = fold(word) in STOP_WORDS["fr"] | STOP_WORDS["en"]
        if key:
            (stopped if stop else keys).append(key)
    chosen = keys or stopped
    return " ".join(dict.fromkeys(chosen))


def flat_text(value):
    """A field's searchable value (a string, a StreamField's list of texts, tags) as one text."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "\n".join(flat_text(item) for item in value)
    if isinstance(value, dict):
        return "\n".join(flat_text(item) for item in value.values())
    text = str(value)
    # Rich text comes as HTML: its tags are no words of the page.
    return strip_tags(text) if "<" in text else text


class SearchText(index.SearchField):
    """A search field indexed through this module's analysis (index_text): use it for every text
    visitors search, in place of Wagtail's SearchField."""

    def get_value(self, obj):
        return index_text(flat_text(super().get_value(obj)))

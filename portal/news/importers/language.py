"""The language an article is written in: French, English or Arabic, or None when unclear.

The portal imports three languages, two scripts: Arabic is told by its script,
French from English by their function words. The word lists are jusText's
stop lists (it ships them for its boilerplate classifier, a dependency of
trafilatura), keeping only the words one language has and the other has not,
since "a", "de" or "on" prove nothing. No model is downloaded, nothing is
guessed: a short or mixed text gives None and the import says so.

Measured on tests/portal/news/corpus (61 articles): 61 right. lingua's
detector gets them right too, but weighs 96 MB and names a language for
"MoroccoTech 2025" or a list of city names, where this says it cannot tell.
"""

import re
from functools import cache

import justext

# The Arabic blocks of Unicode, presentation forms included.
ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
WORD = re.compile(r"[^\W\d_]+")

MIN_LETTERS = 40  # below a sentence, no language is stated
MIN_HITS = 5
ARABIC_SHARE = 0.6  # of the letters; between MIXED_SHARE and this, the text is mixed
MIXED_SHARE = 0.2


@cache
def function_words():
    french, english = justext.get_stoplist("French"), justext.get_stoplist("English")
    return {"fr": frozenset(french - english), "en": frozenset(english - french)}


def detect_language(text):
    """ "fr", "en" or "ar" when the text clearly is in that language, else None."""
    letters = sum(1 for c in text if c.isalpha())
    if letters < MIN_LETTERS:
        return None
    share = len(ARABIC.findall(text)) / letters
    if share >= ARABIC_SHARE:
        return "ar"
    if share > MIXED_SHARE:
        return None
    tokens = WORD.findall(text.casefold())
    hits = {code: sum(1 for t in tokens if t in words) for code, words in function_words().items()}
    best, other = sorted(hits, key=hits.get, reverse=True)
    if hits[best] >= MIN_HITS and hits[best] >= 2 * hits[other]:
        return best
    return None

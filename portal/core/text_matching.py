"""Finding names in text: accent- and case-insensitive, on word boundaries.

Used to link articles to the organisations and startups they mention. A
name matches only as a whole word ("ADD" never matches "address"), whatever
its accents and case ("Agence de Developpement du digital" matches "Agence de
Développement du Digital"), with typographic and straight apostrophes equal.

One exception, on purpose: acronyms of three letters or fewer ("ADD", "MNC")
match only when written in capitals, because in lower case they are ordinary
words in English or French text ("add", "mnc" in URLs).
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import strip_tags

SHORT_ACRONYM = re.compile(r"^[A-Z0-9]{2,3}$")


# Past this many distinct characters, new ones are folded again each time instead of kept.
FOLD_TABLE_SIZE = 10_000


class FoldTable(dict):
    """A str.translate table filled on first use: each character through `fold_char`.

    Decomposing a text character by character and dropping the combining
    marks gives what decomposing it whole gives (NFKD only reorders combining
    marks across characters), so a text folds in one C-level translate,
    about 20 times faster than the Python loop; the search folds some 10,000
    characters a request. `irregular` holds the characters seen that do not
    fold to exactly one character.
    """

    def __init__(self, fold_char):
        super().__init__()
        self.fold_char = fold_char
        self.irregular = set()
        self.complete = True  # False once a character was not kept: `irregular` may then miss some

    def __missing__(self, codepoint):
        folded = self.fold_char(chr(codepoint))
        if len(self) >= FOLD_TABLE_SIZE:
            self.complete = False
            return folded
        # Marked irregular before it is in the table: a thread that finds it
        # there must also find it here (highlight maps positions by it).
        if len(folded) != 1:
            self.irregular.add(chr(codepoint))
        self[codepoint] = folded
        return folded


def strip_accents_char(char):
    return "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))


STRIP_ACCENTS = FoldTable(strip_accents_char)


def fold(text):
    """The one way the portal compares words: "Février", "fevrier" and "FÉVRIER" fold alike.

    Accents stripped, case folded, curly quotes made straight and runs of
    spaces made one. For matching names, dates, boilerplate and queries; to
    mark matches in the original text, fold_with_positions().
    """
    stripped = text.translate(STRIP_ACCENTS)
    stripped = stripped.replace("’", "'").replace("‘", "'").replace("`", "'")
    return re.sub(r"\s+", " ", stripped).casefold()


def _fold_char_in_place(char):
    # Each piece folds to one character (casefold's "ss" for "ß" cut to "s"): matches map back onto the text.
    return "".join(piece.casefold()[:1] or piece for piece in strip_accents_char(char))


FOLD_IN_PLACE = FoldTable(_fold_char_in_place)


def fold_with_positions(text):
    """fold()'s accents and case, character by character, with each folded character's index in `text`.

    What a highlighter needs: a match found in the folded text is marked at
    the same characters of the original.
    """
    folded = text.translate(FOLD_IN_PLACE)
    if FOLD_IN_PLACE.complete and FOLD_IN_PLACE.irregular.isdisjoint(text):
        # Every character folded to exactly one: the positions are the identity.
        return folded, range(len(text))
    pieces = [FOLD_IN_PLACE[ord(char)] for char in text]
    positions = [index for index, piece in enumerate(pieces) for _ in piece]
    return "".join(pieces), positions


@dataclass(frozen=True)
class Term:
    key: object  # what the term names (an organisation's pk, say)
    pattern: re.Pattern
    case_sensitive: bool
    # A word the pattern cannot match without: the text is searched only if it has it.
    # Thousands of names against one article: a set lookup each instead of a regex scan each.
    first_word: str | None = None


WORD = re.compile(r"\w+")


def first_word(text):
    found = WORD.search(text)
    return found.group() if found else None


def compile_terms(entries):
    """entries: iterable of (key, [names]). Returns Terms ready for find_keys."""
    terms = []
    for key, names in entries:
        for name in names:
            name = (name or "").strip()
            if len(name) < 2:
                continue
            if SHORT_ACRONYM.match(name):
                pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
                terms.append(Term(key, pattern, True, first_word(name)))
            else:
                folded_name = fold(name)
                folded = r"\s+".join(re.escape(part) for part in folded_name.split())
                terms.append(Term(key, re.compile(rf"(?<!\w){folded}(?!\w)"), False, first_word(folded_name)))
    return terms


def find_keys(text, terms):
    """The keys of the terms that occur in text."""
    if not text:
        return set()
    folded = fold(text)
    original = unicodedata.normalize("NFC", text)
    words = {True: set(WORD.findall(original)), False: set(WORD.findall(folded))}
    return {
        term.key
        for term in terms
        if (term.first_word is None or term.first_word in words[term.case_sensitive])
        and term.pattern.search(original if term.case_sensitive else folded)
    }


def page_text(*parts, body=None):
    """Plain text of a page's fields and StreamField body, for matching."""
    chunks = [p for p in parts if p]
    for block in body or []:
        value = block.value
        if hasattr(value, "source"):  # RichText
            chunks.append(strip_tags(value.source))
        elif isinstance(value, dict) or hasattr(value, "items"):
            chunks.extend(str(v) for v in value.values() if isinstance(v, str))
        else:
            chunks.append(str(value))
    return "\n".join(chunks)

"""Search snippets: the fast folding gives what folding character by character gives."""

import random
import unicodedata

from portal.sitewide.highlight import _fold_with_map, highlight
from tests.portal.test_text_matching import TRICKY


def reference_fold_with_map(text):
    folded, positions = [], []
    for index, char in enumerate(text):
        for piece in unicodedata.normalize("NFKD", char):
            if not unicodedata.combining(piece):
                folded.append(piece.casefold()[:1] or piece)
                positions.append(index)
    return "".join(folded), positions


def test_folded_text_maps_back_onto_the_original():
    rng = random.Random(8)  # noqa: S311 (a fixed sample, not a secret)
    for _ in range(5000):
        text = "".join(rng.choice(TRICKY) for _ in range(rng.randint(0, 14)))
        folded, positions = _fold_with_map(text)
        assert (folded, list(positions)) == reference_fold_with_map(text), repr(text)


def test_marks_land_on_the_original_characters_around_irregular_ones():
    # "ﬁ" folds to two characters ("fi"), the lone combining accent to none: the marks stay on the words.
    html = highlight("Le ﬁnancement \u0301 des STARTUPS numériques", "startup numerique")
    assert "<mark>STARTUPS</mark>" in html
    assert "<mark>numériques</mark>" in html

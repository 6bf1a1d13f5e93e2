"""Search snippets: the fast folding gives what folding character by character gives."""

import random
import unicodedata

from portal.core.text_matching import fold_with_positions
from portal.sitewide.highlight import highlight
from tests.portal.core.test_text_matching import TRICKY


def referencefold_with_positions(text):
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
        folded, positions = fold_with_positions(text)
        assert (folded, list(positions)) == referencefold_with_positions(text), repr(text)


def test_marks_land_on_the_original_characters_around_irregular_ones():
    # "ﬁ" folds to two characters ("fi"), the lone combining accent to none: the marks stay on the words.
    html = highlight("Le ﬁnancement \u0301 des STARTUPS numériques", "startup numerique")
    assert "<mark>STARTUPS</mark>" in html
    assert "<mark>numériques</mark>" in html

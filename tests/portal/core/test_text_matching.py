import pytest

from portal.core.text_matching import compile_terms, find_keys

TERMS = compile_terms(
    [
        ("add", ["Agence de Développement du Digital", "ADD"]),
        ("apebi", ["Fédération des Technologies de l'Information", "APEBI"]),
        ("ministry", ["Ministère de la Transition numérique et de la Réforme de l'Administration"]),
        ("mnc", ["Maroc Numeric Cluster", "MNC"]),
        ("1337", ["École 1337", "écoles 1337"]),
    ]
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("en partenariat avec l’ADD et la CGEM", {"add"}),
        ("Please add your address to the list.", set()),
        ("ADDRESS and PADDING are not the agency", set()),
        ("l'agence de developpement du digital (sans accents)", {"add"}),
        ("L’AGENCE DE DÉVELOPPEMENT DU DIGITAL", {"add"}),
        ("l'Apebi a salué", {"apebi"}),
        ("APEBIX n'existe pas", set()),
        ("la Fédération des Technologies de l’Information, des Télécommunications", {"apebi"}),
        ("le ministère de la Transition numérique et de la réforme de l’administration", {"ministry"}),
        ("le Ministère de la Transition\nNumérique et de la Réforme de l’Administration", {"ministry"}),
        ("mnc.ma est un domaine", set()),
        ("Maroc Numeric Cluster (MNC)", {"mnc"}),
        ("à l'image des écoles 1337 et YouCode", {"1337"}),
        ("1337 participants", set()),
        ("", set()),
    ],
)
def test_mentions_match_whole_words_whatever_accents_and_case(text, expected):
    assert find_keys(text, TERMS) == expected


def reference_fold(text):
    """fold() as first written: the whole text decomposed at once."""
    import re
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("’", "'").replace("‘", "'").replace("`", "'")
    return re.sub(r"\s+", " ", stripped).casefold()


# Accents, ligatures, a character that decomposes to a space and a mark (¨),
# bare combining marks, Arabic with its vowel marks, a Tibetan sign that
# decomposes to marks alone, typographic apostrophes, odd spaces.
TRICKY = "aàâäéèêëîïôöùûüçœæßÉÀÇ \u00a0\t’‘`'ﬁ¨´ǅ\u0301\u0327x\u0f73ا\u064eمñ1"


def test_fold_character_by_character_equals_folding_the_whole_text():
    import random

    from portal.core.text_matching import fold

    rng = random.Random(20261123)  # noqa: S311 (a fixed sample, not a secret)
    for _ in range(5000):
        text = "".join(rng.choice(TRICKY) for _ in range(rng.randint(0, 14)))
        assert fold(text) == reference_fold(text), repr(text)

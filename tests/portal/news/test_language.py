"""Telling French, English and Arabic apart, and saying so when it cannot be told."""

import pytest

from portal.news.importers.language import detect_language

FRENCH = (
    "La région de l'Oriental accueille cette année un nouveau campus consacré aux métiers du numérique, "
    "avec des formations gratuites pour les jeunes qui n'ont pas de diplôme."
)
ENGLISH = (
    "The eastern region is hosting a new campus for digital jobs this year, with free courses for young "
    "people who have no degree and want to work in software."
)
ARABIC = "تحتضن جهة الشرق هذه السنة حرما جديدا لمهن الرقمنة، مع تكوينات مجانية للشباب الذين لا يتوفرون على شهادة."


@pytest.mark.parametrize(("text", "language"), [(FRENCH, "fr"), (ENGLISH, "en"), (ARABIC, "ar")])
def test_each_language_is_recognised(text, language):
    assert detect_language(text) == language


def test_a_few_words_state_no_language():
    assert detect_language("MoroccoTech 2025") is None
    assert detect_language("") is None


def test_a_text_half_in_arabic_half_in_french_is_not_guessed():
    assert detect_language(FRENCH + " " + ARABIC[:90]) is None


def test_names_and_numbers_without_sentences_are_not_guessed():
    assert detect_language("Casablanca Rabat Tanger Agadir Marrakech Fès Meknès Oujda Tétouan Dakhla") is None

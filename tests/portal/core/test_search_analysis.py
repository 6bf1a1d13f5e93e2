"""The words the search compares: what a page is indexed under and what a query asks for."""

import pytest

from brand.models import StartupPage
from portal.core.search_analysis import SearchText, arabic_stem, index_text, normalise_arabic, query_text


def keys(text):
    return set(index_text(text).split())


@pytest.mark.parametrize(
    ("query", "language", "text"),
    [
        ("startup", "fr", "Les start-up du Maroc"),
        ("start-up", "fr", "Trois startups marocaines"),
        ("startups", "en", "A start-up from Rabat"),
        ("écosystème", "fr", "l’ecosysteme local"),
        ("ECOSYSTEME", "fr", "L'écosystème"),
        ("numériques", "fr", "le numérique"),
        ("entreprise", "fr", "des entreprises"),
        ("funding", "en", "they were funded"),
        ("companies", "en", "a company"),
        ("MoroccoTech", "ar", "أطلقت MoroccoTech برنامجا"),
        ("المغرب", "ar", "وبالمغرب"),
        ("مغرب", "ar", "في المغرب"),
        ("الشركات", "ar", "شركة"),
        ("الوكالة", "ar", "وكالة"),
        ("إفريقيا", "ar", "افريقيا"),
        ("مُؤْتَمَر", "ar", "مؤتمرات"),
        ("الرقمية", "ar", "الـرقمي"),
        ("٢٠٢٦", "ar", "2026"),
        ("2026", "fr", "۲۰۲۶"),
    ],
)
def test_a_query_finds_the_other_forms_of_its_words(query, language, text):
    wanted = query_text(query, language).split()
    assert wanted
    assert set(wanted) <= keys(text), (wanted, keys(text))


@pytest.mark.parametrize(
    ("query", "language", "text"),
    [
        ("startup", "fr", "un démarrage"),
        ("organisation", "en", "an organ"),
        ("المغرب", "ar", "الغرب"),
        ("شركة", "ar", "مشاركة"),
    ],
)
def test_different_words_stay_different(query, language, text):
    assert not set(query_text(query, language).split()) <= keys(text)


def test_words_are_kept_as_written_too():
    # The admin's own page search asks for words as typed: they are in the index as well.
    assert {"startups", "marocaines", "والمغرب"} <= keys("Startups marocaines والمغرب")


def test_function_words_are_left_out_of_a_query_unless_it_has_nothing_else():
    assert query_text("les startups du Maroc", "fr") == "startup maroc"
    assert query_text("the funding of startups", "en") == "fund startup"
    assert query_text("الشركات في المغرب", "ar") == "شرك مغرب"
    assert query_text("the", "en") == "the"
    assert query_text("«» ?! --", "fr") == ""


def test_a_hyphenated_query_asks_for_the_joined_word_only():
    assert query_text("e-commerce", "fr") == query_text("ecommerce", "fr")
    assert {"ecommerce", "e", "commerce"} <= keys("Le e-commerce")


def test_arabic_letters_are_normalised_and_the_light_stem_keeps_short_words():
    assert normalise_arabic("إِفْرِيقِيَا") == "افريقيا"
    assert normalise_arabic("مـدرسـة") == "مدرسه"
    assert normalise_arabic("مستشفى") == "مستشفي"
    # A word of three letters keeps them all: فاس is Fès, not a preposition and "اس".
    assert arabic_stem("فاس") == "فاس"
    assert arabic_stem("بنك") == "بنك"


@pytest.mark.django_db  # rich text's links are looked up while it is made plain text
def test_search_text_fields_index_the_analysed_words_of_rich_text_without_its_tags():
    startup = StartupPage(description='<p>Les <a href="/x/">startups</a> du <b>Maroc</b></p>')
    indexed = SearchText("description").get_value(startup).split()
    assert "startup" in indexed and "maroc" in indexed
    assert "href" not in indexed and "p" not in indexed

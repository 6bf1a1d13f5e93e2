import datetime

import pytest

from portal.news.importers.dates import DateError, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vendredi 14 Janvier 2022", datetime.date(2022, 1, 14)),
        ("vendredi 14 janvier 2022 à 10:30", datetime.date(2022, 1, 14)),
        ("14 Janvier 2022", datetime.date(2022, 1, 14)),
        ("1er mars 2023", datetime.date(2023, 3, 1)),
        ("22 févr. 2021", datetime.date(2021, 2, 22)),
        ("22 FEVRIER 2021", datetime.date(2021, 2, 22)),
        ("3 août 2020", datetime.date(2020, 8, 3)),
        ("17 - 01 - 2022", datetime.date(2022, 1, 17)),
        ("17/01/2022", datetime.date(2022, 1, 17)),
        ("17.01.2022 - 09h12", datetime.date(2022, 1, 17)),
        ("2022-01-14", datetime.date(2022, 1, 14)),
        ("2022-01-14T10:00:00+01:00", datetime.date(2022, 1, 14)),
        ("January 14, 2022", datetime.date(2022, 1, 14)),
        ("Friday, January 14, 2022", datetime.date(2022, 1, 14)),
        ("14 Jan 2022", datetime.date(2022, 1, 14)),
        ("Feb 3rd, 2024", datetime.date(2024, 2, 3)),
    ],
)
def test_parses_french_english_and_iso_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "Actu Maroc", "le 14 janvier", "14 janvier", "Rabat, 2022", "12345678"])
def test_text_without_a_full_date_gives_none(text):
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31 février 2022", "is not a real date"),
        ("30 - 02 - 2022", "is not a real date"),
        ("2022-13-01", "is not a real date"),
        ("Jeudi 14 Janvier 2022", "wrong weekday: 14 January 2022 was a Friday"),
        ("Monday, January 14, 2022", "wrong weekday"),
        ("14 janvier 1820", "not plausible"),
    ],
)
def test_impossible_or_contradictory_dates_are_refused_with_the_reason(text, reason):
    with pytest.raises(DateError, match=reason):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("29.08.2018 à 19 H 37 • Mis à jour le 29.08.2018", datetime.date(2018, 8, 29)),
        ("09/01/25", datetime.date(2025, 1, 9)),  # day first, 20YY
        ("12.05.23 by Daniel Otieno", datetime.date(2023, 5, 12)),
        ("30th of April 2023", datetime.date(2023, 4, 30)),
        ("2024/05/31", datetime.date(2024, 5, 31)),
        ("31 مايو 2024", datetime.date(2024, 5, 31)),  # Middle East
        ("18 شتنبر 2023", datetime.date(2023, 9, 18)),  # Morocco
        ("9 جانفي 2024", datetime.date(2024, 1, 9)),  # Algeria, Tunisia
        ("5 آذار 2023", datetime.date(2023, 3, 5)),  # Levant
        ("14 تشرين الثاني 2024", datetime.date(2024, 11, 14)),  # a two-word month
        ("الخميس، 14 مارس 2024 03:00 م", datetime.date(2024, 3, 14)),
        ("يوم 18 شتنبر 2023", datetime.date(2023, 9, 18)),
        ("الثلاثاء ٢٥ فبراير ٢٠٢٥ - ١٤:٠٥", datetime.date(2025, 2, 25)),  # Arabic-Indic digits
    ],
)
def test_dates_of_other_outlets_and_languages(text, expected):
    assert parse_date(text) == expected


def test_an_arabic_date_with_the_wrong_weekday_is_refused():
    with pytest.raises(DateError, match="wrong weekday"):
        parse_date("الجمعة 14 مارس 2024")


@pytest.mark.parametrize(
    "text", ["12/05/23/4", "hier", "il y a 3 heures", "منذ ساعتين", "Lundi", "14 mars à 10h", "31 مايو"]
)
def test_what_is_not_a_whole_date_is_not_read(text):
    assert parse_date(text) is None

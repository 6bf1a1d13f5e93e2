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

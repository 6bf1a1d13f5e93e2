"""Publication dates as Moroccan, Maghreb, African and Middle-Eastern outlets write them.

French ("Vendredi 14 Janvier 2022", "1er mars 2023", "17 - 01 - 2022",
"29.08.2018", "09/01/25"), English ("January 14, 2022", "30th of April 2023")
ISO ("2022-01-14") and Arabic, whose month names differ by region ("31 مايو
2024" in the Middle East, "18 شتنبر 2023" in Morocco, "5 آذار 2023" in the
Levant, "9 جانفي 2024" in Algeria and Tunisia), in Western or Arabic-Indic
digits. Numeric dates are always read day first, as every language the portal
imports writes them (there is no month-first reading to guess between), and a
two-digit year is 20YY. A date that names the wrong weekday or a day that does
not exist ("31 février") is refused with the reason, never replaced by a guess
or by today; nothing relative ("hier", "il y a 3 heures") is read at all.
"""

import datetime
import re

from portal.core.text_matching import fold

MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1,
    "fevrier": 2, "fevr": 2, "fev": 2, "february": 2, "feb": 2,
    "mars": 3, "march": 3, "mar": 3,
    "avril": 4, "avr": 4, "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juin": 6, "june": 6, "jun": 6,
    "juillet": 7, "juil": 7, "july": 7, "jul": 7,
    "aout": 8, "august": 8, "aug": 8,
    "septembre": 9, "sept": 9, "sep": 9, "september": 9,
    "octobre": 10, "oct": 10, "october": 10,
    "novembre": 11, "nov": 11, "november": 11,
    "decembre": 12, "dec": 12, "december": 12,
    # Arabic, accent-folded (hamza and madda dropped by fold()): Moroccan,
    # Middle-Eastern, Algerian-Tunisian and Levantine names.
    "يناير": 1, "جانفي": 1, "كانون الثاني": 1,
    "فبراير": 2, "فيفري": 2, "شباط": 2,
    "مارس": 3, "اذار": 3,
    "ابريل": 4, "افريل": 4, "نيسان": 4,
    "ماي": 5, "مايو": 5, "ايار": 5,
    "يونيو": 6, "يونيه": 6, "جوان": 6, "حزيران": 6,
    "يوليوز": 7, "يوليو": 7, "يوليه": 7, "جويلية": 7, "تموز": 7,
    "غشت": 8, "اغسطس": 8, "اوت": 8, "اب": 8,
    "شتنبر": 9, "سبتمبر": 9, "ايلول": 9,
    "اكتوبر": 10, "تشرين الاول": 10,
    "نونبر": 11, "نوفمبر": 11, "تشرين الثاني": 11,
    "دجنبر": 12, "ديسمبر": 12, "كانون الاول": 12,
}  # fmt: skip

WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
    "الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعة": 4, "السبت": 5, "الاحد": 6,
}  # fmt: skip

# Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹) digits, read as 0-9.
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

WEEKDAY_NAMES_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTH_NAMES_FR = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip

# Letters of any script; two Levantine month names are two words ("تشرين الاول").
_MONTH = r"(?P<month>(?:كانون|تشرين)\s+\S+|[^\W\d_]{2,9})\.?"
_WEEKDAY = r"(?:يوم\s+)?(?:(?P<weekday>[^\W\d_]{3,9})\.?[,،]?\s+)?"
_DAY = r"(?P<day>\d{1,2})(?:er|st|nd|rd|th)?(?:\s+of)?"
_YEAR = r"(?P<year>\d{4})"

PATTERNS = [
    # 2022-01-14 (ISO 8601, optionally followed by a time), 2022/01/14.
    re.compile(rf"^{_WEEKDAY}{_YEAR}[-/](?P<mnum>\d{{1,2}})[-/](?P<day>\d{{1,2}})(?![\d])"),
    # 17 - 01 - 2022, 17/01/2022, 17.01.2022: day first, as in French.
    re.compile(rf"^{_WEEKDAY}(?P<day>\d{{1,2}})\s*[-/.]\s*(?P<mnum>\d{{1,2}})\s*[-/.]\s*{_YEAR}(?![\d])"),
    # 09/01/25, 12.05.23: day first, two-digit year (never followed by a third digit or separator).
    re.compile(
        rf"^{_WEEKDAY}(?P<day>\d{{1,2}})(?P<sep>[/.])(?P<mnum>\d{{1,2}})(?P=sep)(?P<year2>\d{{2}})(?![\d]|[/.]\d)"
    ),
    # Vendredi 14 Janvier 2022, 1er mars 2023, 14 Jan. 2022
    re.compile(rf"^{_WEEKDAY}{_DAY}\s+{_MONTH},?\s+{_YEAR}(?![\d])"),
    # Friday, January 14, 2022 / Jan 14 2022
    re.compile(rf"^{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}(?![\d])"),
]


class DateError(ValueError):
    """The text names a date, but not one that can be true."""


def format_date_fr(value):
    return f"{WEEKDAY_NAMES_FR[value.weekday()]} {value.day} {MONTH_NAMES_FR[value.month - 1]} {value.year}"


def parse_date(text):
    """Return the date that `text` starts with, None if it starts with none.

    Raises DateError when the text clearly is a date but an impossible or
    self-contradicting one. Whatever follows the date (a time, a place) is
    ignored.
    """
    folded = fold(text.translate(DIGITS)).strip()
    for pattern in PATTERNS:
        match = pattern.match(folded)
        if not match:
            continue
        parts = match.groupdict()
        weekday = parts.get("weekday")
        if weekday and weekday not in WEEKDAYS:
            # "le 14 janvier": the word before the day is not a weekday, and
            # it is not part of the date either.
            continue
        if parts.get("month"):
            month = MONTHS.get(re.sub(r"\s+", " ", parts["month"]))
            if month is None:
                continue
        else:
            month = int(parts["mnum"])
        year = int(parts["year"]) if parts.get("year") else 2000 + int(parts["year2"])
        day = int(parts["day"])
        if not 1900 <= year <= 2100:
            raise DateError(f"“{text.strip()}”: the year {year} is not plausible")
        try:
            value = datetime.date(year, month, day)
        except ValueError:
            raise DateError(f"“{text.strip()}” is not a real date") from None
        if weekday and WEEKDAYS[weekday] != value.weekday():
            raise DateError(f"“{text.strip()}” names the wrong weekday: {value:%d %B %Y} was a {value:%A}")
        return value
    return None

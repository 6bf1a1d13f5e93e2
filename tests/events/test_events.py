"""The events calendar: upcoming and past, time zones, filters, seed events, query budget."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.factories import EventPageFactory
from events.models import EventPage, portal_timezone

CASABLANCA = zoneinfo.ZoneInfo("Africa/Casablanca")
URL = "/fr/evenements/"


def at(*args):
    return datetime.datetime(*args, tzinfo=CASABLANCA)


@pytest.fixture
def index(portal_site):
    return portal_site["EventIndexPage"]


def titles(events):
    return [e.title for e in events]


def test_seed_events_with_their_articles_and_organisers(seeded, client):
    events = {e.slug: e for e in EventPage.objects.live()}
    assert set(events) == {"digital-now-2020", "lancement-moroccotech", "mission-etats-unis-2024"}

    digital_now = events["digital-now-2020"]
    assert (digital_now.local_start.date(), digital_now.local_end.date()) == (
        datetime.date(2020, 12, 15),
        datetime.date(2020, 12, 16),
    )
    assert digital_now.all_day and digital_now.event_format == "hybrid"
    assert (digital_now.participants, digital_now.countries, digital_now.edition) == (800, 50, 2)
    assert [o.slug for o in digital_now.organisers.all()] == ["club-des-dirigeants"]
    assert [r.article.import_file for r in digital_now.related_articles.all()] == ["000_032a3364383af6b0.txt"]

    launch = events["lancement-moroccotech"]
    assert launch.local_start.date() == datetime.date(2022, 1, 14)
    assert launch.event_format == "online"
    assert [o.slug for o in launch.organisers.all()] == ["ministere-transition-numerique"]
    assert {o.slug for o in launch.partners.all()} == {"apebi", "amdie", "add", "cgem", "ausim", "technopark"}
    assert sorted(r.article.import_file for r in launch.related_articles.all()) == [
        "001_8dab914a3b7b85a5.txt",
        "002_4b9a60903dfe3b56.txt",
    ]

    mission = events["mission-etats-unis-2024"]
    assert (mission.local_start.date(), mission.local_end.date()) == (
        datetime.date(2024, 2, 11),
        datetime.date(2024, 2, 21),
    )
    assert {o.slug for o in mission.organisers.all()} == {"us-commercial-service", "ustda"}
    assert mission.participants == 15
    assert [r.article.import_file for r in mission.related_articles.all()] == ["004_7fea533aad476c06.txt"]

    html = client.get(launch.url).content.decode()
    assert 'href="/fr/moroccotech/organisations/ministere-transition-numerique/"' in html
    assert "MoroccoTech : Coup d&#x27;envoi" in html
    assert "Du 11 février 2024 au 21 février 2024" in client.get(mission.url).content.decode()

    # Organisation pages list their events, as organiser or partner.
    response = client.get("/fr/moroccotech/organisations/apebi/")
    assert [e.slug for e in response.context["organisation_events"]] == [
        "mission-etats-unis-2024",
        "lancement-moroccotech",
    ]
    response = client.get("/fr/moroccotech/organisations/club-des-dirigeants/")
    assert [e.slug for e in response.context["organisation_events"]] == ["digital-now-2020"]


def test_seed_events_are_created_once(seeded):
    from events.setup import setup_events

    setup_events()
    assert EventPage.objects.count() == 3
    launch = EventPage.objects.get(slug="lancement-moroccotech")
    assert launch.related_articles.count() == 2


def test_upcoming_and_past_split_around_now(client, index):
    with time_machine.travel(at(2026, 3, 10, 12, 0), tick=False):
        EventPageFactory(parent=index, title="Hier", starts_at=at(2026, 3, 9, 9), ends_at=at(2026, 3, 9, 18))
        EventPageFactory(parent=index, title="Ce matin", starts_at=at(2026, 3, 10, 8), ends_at=at(2026, 3, 10, 11))
        EventPageFactory(
            parent=index,
            title="Toute la journée",
            starts_at=at(2026, 3, 10, 0),
            ends_at=at(2026, 3, 10, 0),
            all_day=True,
        )
        EventPageFactory(parent=index, title="Demain", starts_at=at(2026, 3, 11, 9), ends_at=at(2026, 3, 11, 12))
        EventPageFactory(
            parent=index,
            title="Salon de trois jours",
            starts_at=at(2026, 3, 9),
            ends_at=at(2026, 3, 11),
            all_day=True,
        )
        EventPageFactory(
            parent=index, title="Il y a deux ans", starts_at=at(2024, 6, 1, 9), ends_at=at(2024, 6, 1, 12)
        )
        response = client.get(URL)
    assert titles(response.context["upcoming_events"]) == ["Salon de trois jours", "Toute la journée", "Demain"]
    assert titles(response.context["past_events"]) == ["Ce matin", "Hier", "Il y a deux ans"]
    html = response.content.decode()
    archive = html.split('id="archive-title"', 1)[1]
    assert archive.index('<h3 class="year-heading">2026</h3>') < archive.index("Hier")
    assert archive.index('<h3 class="year-heading">2024</h3>') < archive.index("Il y a deux ans")


def test_an_all_day_event_is_upcoming_until_its_last_day_is_over(client, index):
    EventPageFactory(
        parent=index, title="Journée", starts_at=at(2026, 3, 10), ends_at=at(2026, 3, 10), all_day=True
    )
    with time_machine.travel(at(2026, 3, 10, 23, 30), tick=False):
        assert titles(client.get(URL).context["upcoming_events"]) == ["Journée"]
    with time_machine.travel(at(2026, 3, 11, 0, 1), tick=False):
        response = client.get(URL)
        assert titles(response.context["upcoming_events"]) == []
        assert titles(response.context["past_events"]) == ["Journée"]
        assert "Aucun événement à venir" in response.content.decode()


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (datetime.date(2025, 6, 10), 8),  # Casablanca is UTC+1 most of the year
        (datetime.date(2025, 3, 10), 9),  # and UTC+0 during Ramadan (2025: March)
    ],
)
def test_time_zone_on_the_page_and_in_the_calendar(client, index, day, utc_hour):
    import icalendar

    event = EventPageFactory(
        parent=index,
        title="Atelier",
        starts_at=datetime.datetime.combine(day, datetime.time(9, 0), CASABLANCA),
        ends_at=datetime.datetime.combine(day, datetime.time(11, 30), CASABLANCA),
    )
    html = client.get(event.url).content.decode()
    assert f"{day.day} {'juin' if day.month == 6 else 'mars'} 2025, 09:00</time>–<time" in html
    assert ">11:30</time>" in html

    ics = client.get(f"{event.url}ical/")
    calendar = icalendar.Calendar.from_ical(ics.content)
    vevent = calendar.walk("VEVENT")[0]
    start = vevent.decoded("DTSTART")
    assert str(start.tzinfo) == "Africa/Casablanca"
    assert start.astimezone(datetime.UTC) == datetime.datetime.combine(
        day, datetime.time(utc_hour, 0), datetime.UTC
    )
    assert vevent["DTSTART"].params["TZID"] == "Africa/Casablanca"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Africa/Casablanca"]


def test_ics_round_trip_and_sequence_on_edit(client, index):
    import icalendar

    event = EventPageFactory(
        parent=index,
        title="Hackathon <IA> & données",
        summary="Deux jours pour coder des services publics numériques.",
        starts_at=at(2030, 10, 3, 9),
        ends_at=at(2030, 10, 4, 18),
        venue="Technopark",
        city="Rabat",
        country="Maroc",
        registration_url="https://example.ma/inscription",
        live=False,
    )
    event.save_revision().publish()
    event.refresh_from_db()

    response = client.get(f"{event.url}ical/")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    vevent = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    uid = str(vevent["UID"])
    assert uid == f"{event.translation_key}-fr@moroccotech.ma"
    assert str(vevent["SUMMARY"]) == "Hackathon <IA> & données"
    assert vevent.decoded("DTSTART") == at(2030, 10, 3, 9)
    assert vevent.decoded("DTEND") == at(2030, 10, 4, 18)
    assert str(vevent["URL"]) == f"http://localhost{event.url}"
    assert str(vevent["LOCATION"]) == "Technopark, Rabat, Maroc"
    description = str(vevent["DESCRIPTION"])
    assert description.startswith("Deux jours pour coder des services publics numériques.")
    assert "Inscription : https://example.ma/inscription" in description
    assert "<" not in description
    first_sequence = int(vevent["SEQUENCE"])
    first_modified = vevent.decoded("LAST-MODIFIED")

    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=5)):
        event = EventPage.objects.get(pk=event.pk)
        event.title = "Hackathon IA et données"
        event.save_revision().publish()
    vevent = icalendar.Calendar.from_ical(client.get(f"{event.url}ical/").content).walk("VEVENT")[0]
    assert str(vevent["UID"]) == uid
    assert int(vevent["SEQUENCE"]) == first_sequence + 1
    assert vevent.decoded("LAST-MODIFIED") > first_modified
    assert str(vevent["SUMMARY"]) == "Hackathon IA et données"


def test_all_day_events_export_dates_with_exclusive_end(seeded, client):
    import icalendar

    vevent = icalendar.Calendar.from_ical(client.get("/fr/evenements/digital-now-2020/ical/").content).walk(
        "VEVENT"
    )[0]
    assert vevent.decoded("DTSTART") == datetime.date(2020, 12, 15)
    assert vevent.decoded("DTEND") == datetime.date(2020, 12, 17)
    assert str(vevent["LOCATION"]) == "https://digitalnow.ma"


def test_index_advertises_the_upcoming_calendar_feed(client, index):
    import icalendar

    EventPageFactory(parent=index, title="Futur", starts_at=at(2031, 1, 5, 10), ends_at=at(2031, 1, 5, 12))
    EventPageFactory(parent=index, title="Passé", starts_at=at(2020, 1, 5, 10), ends_at=at(2020, 1, 5, 12))
    html = client.get(URL).content.decode()
    assert '<link rel="alternate" type="text/calendar"' in html
    assert 'href="/fr/evenements/ical/"' in html
    feed = icalendar.Calendar.from_ical(client.get("/fr/evenements/ical/").content)
    assert [str(e["SUMMARY"]) for e in feed.walk("VEVENT")] == ["Futur"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("format=online", ["En ligne"]),
        ("format=hybrid", ["Hybride"]),
        ("city=rabat", ["À Rabat"]),
        ("tag=ia", ["À Rabat", "En ligne"]),
        ("format=online&tag=ia", ["En ligne"]),
        ("format=in_person&city=rabat&tag=fintech", []),
    ],
)
def test_filters(client, index, query, expected):
    EventPageFactory(parent=index, title="En ligne", event_format="online", city="", tags=["IA"],
                     starts_at=at(2031, 1, 1, 10), ends_at=at(2031, 1, 1, 11))  # fmt: skip
    EventPageFactory(parent=index, title="À Rabat", city="Rabat", tags=["IA"],
                     starts_at=at(2031, 1, 2, 10), ends_at=at(2031, 1, 2, 11))  # fmt: skip
    EventPageFactory(parent=index, title="Hybride", event_format="hybrid", city="Casablanca",
                     starts_at=at(2031, 1, 3, 10), ends_at=at(2031, 1, 3, 11))  # fmt: skip
    response = client.get(f"{URL}?{query}")
    assert titles(response.context["upcoming_events"]) == sorted(
        expected, key=["En ligne", "À Rabat", "Hybride"].index
    )


@pytest.mark.parametrize(
    "query", ["format=%00", "city=" + "x" * 3000, "tag=%27", "page=abc", "page=-3", "format=x&format=y"]
)
def test_weird_parameters_give_a_normal_page(client, index, query):
    assert client.get(f"{URL}?{query}").status_code == 200


def test_end_before_start_is_refused(index):
    from django.core.exceptions import ValidationError

    event = EventPage(title="À l'envers", slug="envers", summary="x", event_format="online",
                      starts_at=at(2030, 1, 2, 10), ends_at=at(2030, 1, 1, 10))  # fmt: skip
    from django.utils import translation

    with translation.override("fr"), pytest.raises(ValidationError, match="La fin ne peut pas précéder le début"):
        index.add_child(instance=event)


def count_queries(client, url):
    client.get(url)  # a first visit also creates rows (the site's settings)
    # Then every cache emptied: what rendering the page costs (tests/portal/test_query_counts.py has both).
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_index_queries_are_the_same_with_25_and_300_events(client, index):
    def add(n, offset):
        for i in range(offset, offset + n):
            day = datetime.date(2018, 1, 1) + datetime.timedelta(days=7 * i)
            EventPageFactory(parent=index, starts_at=at(day.year, day.month, day.day, 9),
                             ends_at=at(day.year, day.month, day.day, 12), tags=[f"thème {i % 5}"],
                             city=("Rabat", "Casablanca", "Agadir")[i % 3])  # fmt: skip

    urls = [URL, f"{URL}?format=in_person&city=rabat&tag=theme-1", f"{URL}?page=2"]
    # 25: the past events fill a second page (20 a page), which skips the upcoming ones.
    add(25, 0)
    small = [count_queries(client, url) for url in urls]
    add(275, 25)
    assert [count_queries(client, url) for url in urls] == small == [23, 22, 22]


@pytest.mark.parametrize(("year", "expected"), [("2024", 2), ("2025", 1), ("20245", 3), ("abcd", 3), ("", 3)])
def test_the_year_filter_keeps_that_years_events_and_ignores_nonsense(client, portal_site, year, expected):
    events = portal_site["EventIndexPage"]
    tz = portal_timezone()
    for month, year_value in ((3, 2024), (9, 2024), (2, 2025)):
        EventPageFactory(parent=events, starts_at=datetime.datetime(year_value, month, 1, 9, tzinfo=tz))
    response = client.get(events.url, {"year": year})
    assert response.status_code == 200
    shown = list(response.context["upcoming_events"]) + list(response.context["past_events"])
    assert len(shown) == expected

"""iCalendar (RFC 5545) export of events, built with the icalendar library.

Timed events carry their time zone (TZID=Africa/Casablanca with its
VTIMEZONE); all-day events use DATE values with an exclusive DTEND, as the
RFC says. The UID is stable per event and language; SEQUENCE and
LAST-MODIFIED change on every publish, so calendar apps update their copy.
"""

import datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar, Event

from events.choices import EventFormat, portal_timezone

PRODID = "-//MoroccoTech//Portail MoroccoTech//FR"


def uid_for(event):
    # translation_key is stable across edits and moves; the locale tells the
    # translations of one event apart.
    return f"{event.translation_key}-{event.locale.language_code}@moroccotech.ma"


def description_for(event, url):
    parts = [event.summary.strip()]
    if event.attendance_note:
        parts.append(event.attendance_note)
    if event.registration_url:
        parts.append(f"Inscription : {event.registration_url}")
    parts.append(url)
    return strip_tags("\n\n".join(p for p in parts if p))


def build_event(event, request):
    url = event.get_full_url(request)
    vevent = Event()
    vevent.add("uid", uid_for(event))
    vevent.add("dtstamp", timezone.now())
    vevent.add("summary", event.title)
    if event.all_day:
        vevent.add("dtstart", event.local_start.date())
        vevent.add("dtend", event.local_end.date() + datetime.timedelta(days=1))
    else:
        vevent.add("dtstart", event.local_start)
        vevent.add("dtend", event.local_end)
    vevent.add("description", description_for(event, url))
    location = str(event.location_text)
    if location:
        vevent.add("location", location)
    vevent.add("url", url)
    vevent.add("sequence", event.ical_sequence)
    last_modified = event.last_published_at or event.latest_revision_created_at
    if last_modified:
        vevent.add("last-modified", last_modified.astimezone(datetime.UTC))
    vevent.add("categories", [str(EventFormat(event.event_format).label)])
    vevent.add("status", "CONFIRMED")
    return vevent


def build_calendar(events, request, name="MoroccoTech"):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", str(portal_timezone()))
    events = list(events)
    for event in events:
        calendar.add_component(build_event(event, request))
    if events:
        # Only the years the events need: Casablanca's rules change every
        # Ramadan, so 70 years of transitions would weigh several hundred KB.
        first = min(e.local_start.date() for e in events) - datetime.timedelta(days=366)
        last = max(e.local_end.date() for e in events) + datetime.timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def calendar_response(request, events, filename):
    response = HttpResponse(build_calendar(events, request), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

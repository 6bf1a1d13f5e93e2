"""Programmes et appels à candidatures: open calls by deadline, closed ones after, in the page cache."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brand.factories import OrganisationFactory
from events.models import ProgrammeCall, ProgrammesPage
from portal.news.models import NewsIndexPage

URL = "/fr/programmes/"


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def call(title, deadline, **fields):
    return ProgrammeCall(
        title=title,
        deadline=deadline,
        summary=fields.pop("summary", "Pour les jeunes pousses : mentorat et financement."),
        apply_url=fields.pop("apply_url", "https://example.ma/candidater"),
        **fields,
    )


@pytest.fixture
def programmes(portal_site):
    """The page as an editor makes it under the French home: four calls, published."""
    page = ProgrammesPage(title="Programmes et appels", slug="programmes", introduction="Les appels du moment.")
    portal_site["home"].add_child(instance=page)
    page.calls = [
        call("Accélérateur d'automne", days(30), organiser=OrganisationFactory(name="Fonds Atlas")),
        call("Prix de l'innovation", days(0)),
        call("Bourse clôturée", days(-1)),
        call("Concours de l'an dernier", days(-300)),
    ]
    page.save_revision().publish()
    return page


def sections(html):
    """The titles under "Appels ouverts" and under "Appels clos", in the order shown."""
    open_part, _sep, closed_part = html.partition('id="calls-closed"')
    pick = lambda part: [t for t in TITLES if t in part]  # noqa: E731
    order = lambda part, titles: sorted(titles, key=part.index)  # noqa: E731
    return order(open_part, pick(open_part)), order(closed_part, pick(closed_part))


TITLES = ["Accélérateur d'automne", "Prix de l'innovation", "Bourse clôturée", "Concours de l'an dernier"]


def test_open_calls_come_first_nearest_deadline_first_then_the_closed_ones(client, programmes):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    open_calls, closed_calls = sections(html)
    # A call whose deadline is today is still open.
    assert open_calls == ["Prix de l'innovation", "Accélérateur d'automne"]
    assert closed_calls == ["Bourse clôturée", "Concours de l'an dernier"]
    assert "Candidatures jusqu'au" in html and "Clos le" in html
    assert f'datetime="{days(30).isoformat()}"' in html
    assert "Fonds Atlas" in html
    assert 'href="https://example.ma/candidater"' in html


def test_without_open_calls_the_page_says_so(client, portal_site):
    page = ProgrammesPage(title="Programmes et appels", slug="programmes")
    portal_site["home"].add_child(instance=page)
    page.calls = [call("Bourse clôturée", days(-3))]
    page.save_revision().publish()
    html = client.get(URL).content.decode()
    assert "est ouvert en ce moment" in html
    assert "Bourse clôturée" in html


def test_it_goes_under_a_home_once(programmes, portal_site):
    assert not ProgrammesPage.can_create_at(portal_site["home"])  # one per home
    assert not ProgrammesPage.can_create_at(NewsIndexPage.objects.first())
    assert ProgrammesPage.allowed_subpage_models() == []


def test_a_published_change_shows_at_once_and_the_page_is_cached_between(client, programmes, settings):
    settings.PAGE_CACHE_SECONDS = 300
    assert client.get(URL)["X-Cache"] == "miss"
    assert client.get(URL)["X-Cache"] == "hit"

    revision = ProgrammesPage.objects.get(pk=programmes.pk)
    revision.calls.add(call("Appel tout neuf", days(10)))
    revision.save_revision().publish()

    response = client.get(URL)
    assert response["X-Cache"] == "miss"
    assert "Appel tout neuf" in response.content.decode()


def test_queries_do_not_grow_with_the_calls(client, programmes):
    def warm_queries():
        client.get(URL)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    few = warm_queries()
    revision = ProgrammesPage.objects.get(pk=programmes.pk)
    for n in range(30):
        revision.calls.add(call(f"Appel numéro {n}", days(n), organiser=OrganisationFactory()))
    revision.save_revision().publish()
    assert warm_queries() == few
    assert few <= 2


def test_visitors_find_it_in_the_site_search_under_pages(client, programmes):
    """No line of search.py names it: every page type is searched, as a page, unless it says otherwise."""
    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
    html = client.get("/fr/recherche/?q=appels&type=pages").content.decode()
    assert 'href="/fr/programmes/"' in html

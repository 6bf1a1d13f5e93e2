"""Search counts kept in the process and written in one go: no write per search (#8)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

from portal.news.factories import ArticlePageFactory
from portal.sitewide import search_hits

URL = "/fr/recherche/"


def daily_hits():
    return {(row.query.query_string, row.date): row.hits for row in QueryDailyHits.objects.select_related("query")}


@pytest.fixture
def later(settings):
    """Searches are written only when flush() is called (the interval is an hour, from now)."""
    settings.SEARCH_HITS_FLUSH_SECONDS = 3600
    search_hits.flush()


def test_a_search_writes_nothing_until_the_flush(client, portal_site, later):
    client.get(URL, {"q": "Cluster"})
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"q": "  cluster "})
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert not QueryDailyHits.objects.exists()
    today = timezone.localdate()
    assert search_hits.pending() == {(today, "cluster"): 2}

    search_hits.flush()
    assert daily_hits() == {("cluster", today): 2}
    assert Query.get("cluster").hits == 2
    assert search_hits.pending() == {}


def test_only_first_results_pages_of_real_searches_count(client, portal_site, later):
    for n in range(25):
        ArticlePageFactory(parent=portal_site["news"], title=f"Robotique au Maroc, épisode {n}", slug=f"robot-{n}")
    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
    second_page = client.get(URL, {"q": "robotique", "page": "2"}).content.decode()
    assert second_page.count('<li class="search-result">') == 5, "a real second page of results"
    client.get(URL, {"q": "?!"})
    client.get(URL)
    assert search_hits.pending() == {}
    client.get(URL, {"q": "robotique"})
    assert search_hits.pending() == {(timezone.localdate(), "robotique"): 1}


def test_a_flush_adds_to_the_counts_already_written(portal_site, later):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    query = Query.objects.create(query_string="fintech")
    QueryDailyHits.objects.create(query=query, date=today, hits=3)
    QueryDailyHits.objects.create(query=query, date=yesterday, hits=7)
    for text in ("Fintech", "fintech", "IA"):
        search_hits.record(text)
    search_hits.flush()
    assert daily_hits() == {("fintech", today): 5, ("fintech", yesterday): 7, ("ia", today): 1}
    assert Query.objects.filter(query_string="fintech").count() == 1


def test_counts_are_written_when_the_interval_has_passed(portal_site, settings):
    settings.SEARCH_HITS_FLUSH_SECONDS = 0
    search_hits.record("gitex")
    assert daily_hits() == {("gitex", timezone.localdate()): 1}


def test_too_many_distinct_queries_are_written_at_once(portal_site, later, monkeypatch):
    monkeypatch.setattr(search_hits, "MAX_PENDING", 3)
    search_hits.record("un")
    search_hits.record("deux")
    assert not QueryDailyHits.objects.exists()
    search_hits.record("trois")
    assert {query for query, _date in daily_hits()} == {"un", "deux", "trois"}
    assert search_hits.pending() == {}


def test_counts_survive_a_database_error(portal_site, later, monkeypatch):
    def unavailable(counts):
        raise DatabaseError("the database is restarting")

    search_hits.record("startup")
    monkeypatch.setattr(search_hits, "write", unavailable)
    search_hits.flush()
    search_hits.record("startup")
    assert search_hits.pending() == {(timezone.localdate(), "startup"): 2}
    monkeypatch.undo()
    search_hits.flush()
    assert daily_hits() == {("startup", timezone.localdate()): 2}


def test_a_day_created_by_another_process_meanwhile_is_added_to(portal_site, monkeypatch):
    """Our update finds no row, another worker then creates it, our insert fails: we add to theirs."""
    query = Query.objects.create(query_string="data")
    today = timezone.localdate()
    QueryDailyHits.objects.create(query=query, date=today, hits=4)  # the other worker's row
    update = QuerySet.update
    too_early = []

    def update_before_the_other_worker(self, **fields):
        if not too_early:
            too_early.append(True)
            return 0
        return update(self, **fields)

    monkeypatch.setattr(QuerySet, "update", update_before_the_other_worker)
    search_hits.add_hits(query.pk, today, 2)
    assert too_early
    assert daily_hits() == {("data", today): 6}


def test_what_is_pending_is_written_when_the_process_exits(portal_site, later, monkeypatch):
    search_hits.record("emploi")
    search_hits.flush_at_exit()
    assert daily_hits() == {("emploi", timezone.localdate()): 1}

    def broken(counts):
        raise RuntimeError("interpreter shutting down")

    search_hits.record("emploi")
    monkeypatch.setattr(search_hits, "write", broken)
    search_hits.flush_at_exit()  # logged, not raised: the exit goes on

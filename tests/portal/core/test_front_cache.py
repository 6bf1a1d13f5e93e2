"""Varnish in front (#25): pages say what they show, and a change bans exactly those pages there."""

import http.server
import re
import threading

import pytest

from events.factories import EventPageFactory
from portal.core.cache import front
from portal.core.cache import tags as cache_tags
from portal.news.factories import ArticlePageFactory


class BanRecorder(http.server.BaseHTTPRequestHandler):
    received = []
    status = 200

    def do_BAN(self):
        BanRecorder.received.append(self.headers[front.BAN_HEADER])
        self.send_response(BanRecorder.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def varnish(settings):
    """A stand-in for Varnish's BAN endpoint: records each ban's expression."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), BanRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    BanRecorder.received, BanRecorder.status = [], 200
    settings.FRONT_CACHE_BAN_URLS = [f"http://127.0.0.1:{server.server_address[1]}/"]
    yield BanRecorder
    server.shutdown()


def banned(expression, header):
    """What Varnish decides: does the ban's expression match the object's tags header?"""
    return re.search(expression, header) is not None


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300


def test_pages_carry_their_tags_for_the_front_only_when_there_is_one(client, portal_site, settings):
    article = ArticlePageFactory(parent=portal_site["news"])
    assert front.TAG_HEADER not in client.get(article.url)
    settings.FRONT_CACHE_BAN_URLS = ["http://127.0.0.1:9/"]
    for attempt in ("computed", "from the page cache"):
        response = client.get(article.url)
        tags = response[front.TAG_HEADER].split(",")
        assert f"page:{article.pk}" in tags, attempt
        assert " " not in response[front.TAG_HEADER]


def test_a_publish_bans_the_pages_that_show_it_and_no_other(
    client, portal_site, varnish, django_capture_on_commit_callbacks
):
    news = portal_site["news"]
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticlePageFactory(parent=news, title="Avant")
        event = EventPageFactory(parent=portal_site["EventIndexPage"])
    varnish_headers = {name: client.get(url)[front.TAG_HEADER] for name, url in
                       (("article", article.url), ("news", news.url), ("event", event.url))}  # fmt: skip
    varnish.received.clear()

    article.title = "Après"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()

    # One ban for the whole publish, sent once the transaction committed.
    assert len(varnish.received) == 1
    (expression,) = varnish.received
    assert " " not in expression and "\\" not in expression
    assert banned(expression, varnish_headers["article"])
    assert banned(expression, varnish_headers["news"])
    assert not banned(expression, varnish_headers["event"])


def test_a_bulk_change_bans_everything(varnish, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cache_tags.bump_all()
    assert varnish.received == [front.EVERYTHING]


def test_a_front_that_refuses_the_ban_fails_the_task_so_that_it_is_tried_again(varnish, db):
    varnish.status = 500
    with pytest.raises(Exception, match="500"):
        front.send_ban.call(["page:1"])


def test_a_tag_becomes_a_pattern_of_itself_without_spaces_or_backslashes():
    expression = front.ban_expression({"page:12", "type:portal.articlepage"})
    assert expression == "(^|,)(page:12|type:portal[.]articlepage)(,|$)"
    assert banned(expression, "global,page:12,restrictions")
    assert not banned(expression, "page:123,type:portalxarticlepage")


def test_a_change_too_large_for_one_header_bans_everything():
    moved = {f"page:{pk}" for pk in range(1000, 2000)}
    assert front.ban_expression(moved) == front.EVERYTHING
    assert len(front.ban_expression({f"page:{pk}" for pk in range(1000, 1100)})) <= front.MAX_EXPRESSION

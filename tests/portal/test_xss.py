"""Script payloads through every public input never come back executable (issue #7)."""

import shutil
from html.parser import HTMLParser

import pytest

from brand.models import StartupApplication
from portal.news.importers.articles import import_paths
from portal.news.models import ArticlePage
from tests.brand.test_application import URL as APPLICATION_URL
from tests.brand.test_application import valid_data
from tests.conftest import FILES_DIR

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>"


OUR_SVG = {"brand-mark", "hero__art", "chart"}


class LiveMarkupFinder(HTMLParser):
    """What a browser would run: script elements, event handlers, javascript: URLs, frames.

    Escaped payloads are text to the parser, so only markup that reached the
    page as markup is reported.
    """

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("type") != "application/ld+json":
            self.found.append(f"<script> {attributes}")
        # Our own drawings (the logo's mark, the home's zellige, the charts) are inline SVG;
        # any other svg, or an event handler on one of ours, is a payload that went live.
        if tag in ("iframe", "object", "embed") or (tag == "svg" and attributes.get("class") not in OUR_SVG):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:>")


def assert_inert(html):
    finder = LiveMarkupFinder()
    finder.feed(html)
    assert finder.found == []


def test_imported_articles_escape_script_payloads(client, portal_site, tmp_path):
    shutil.copy(FILES_DIR / "xss_payloads.txt", tmp_path)
    # The file names no outlet: without one the import would keep it as a draft to check.
    (tmp_path / "manifest.yaml").write_text("xss_payloads.txt:\n  source: Le Testeur\n")
    summary = import_paths([tmp_path])
    assert summary.failed == 0, [(r.name, r.reason) for r in summary.results]
    article = ArticlePage.objects.get()
    html = client.get(article.url).content.decode()
    assert "&lt;script&gt;alert(document.cookie)&lt;/script&gt;" in html  # shown as text, not lost
    assert_inert(html)
    assert_inert(client.get("/fr/actualites/").content.decode())


@pytest.mark.parametrize(
    "path",
    [
        "/fr/recherche/?q=",
        "/fr/actualites/?tag=",
        "/fr/startups/?q=",
        "/fr/evenements/?city=",
        "/ar/recherche/?q=",
    ],
)
def test_query_strings_are_escaped_where_they_are_echoed(client, seeded, path):
    response = client.get(path + PAYLOAD)
    assert response.status_code in (200, 404)
    assert_inert(response.content.decode())


def test_the_application_form_escapes_payloads_in_its_errors_and_its_draft(client, admin_client, portal_site):
    # Invalid submission: the values are echoed back in the form.
    response = client.post(APPLICATION_URL, valid_data(startup_name=PAYLOAD, email=PAYLOAD))
    assert response.status_code == 400
    assert_inert(response.content.decode())
    # Valid submission: the draft startup page a moderator previews.
    response = client.post(
        APPLICATION_URL, valid_data(pitch="Capteurs <script>alert(1)</script>", description=PAYLOAD * 3)
    )
    assert response.status_code == 200
    draft = StartupApplication.objects.get().page
    assert not draft.live
    preview = admin_client.get(f"/admin/pages/{draft.pk}/view_draft/", HTTP_HOST="localhost")
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Capteurs &lt;script&gt;" in html
    assert_inert(html)


@pytest.mark.parametrize(
    "html",
    [
        "<img src=x onerror=alert(2)>",
        "<script>alert(1)</script>",
        '<a href=" javascript:alert(1)">x</a>',
        "<svg onload=x>",
    ],
)
def test_the_checker_itself_finds_live_markup(html):
    with pytest.raises(AssertionError):
        assert_inert(f"<p>{html}</p>")

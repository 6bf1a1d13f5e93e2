"""What one release of the code cached, another never serves; a publish reaches both (#8)."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.core.cache import release
from portal.news.factories import ArticlePageFactory


@pytest.fixture
def as_release(settings):
    """Run the code as the release named, as a server of that release would."""

    def switch(name):
        settings.CACHE_RELEASE = name
        release.release_id.cache_clear()

    yield switch
    release.release_id.cache_clear()


@pytest.fixture
def checkout(tmp_path):
    """A copy of the files the digest reads."""
    base = Path(settings.BASE_DIR)
    for folder in release.SOURCES:
        shutil.copytree(base / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(base / "requirements.txt", tmp_path / "requirements.txt")
    return tmp_path


def test_the_digest_changes_with_a_template_a_requirement_or_a_new_file_only(checkout):
    digest = release.code_digest(checkout)
    assert release.code_digest(checkout) == digest
    (checkout / "portal" / "__pycache__").mkdir(exist_ok=True)
    (checkout / "portal" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"compiled")
    assert release.code_digest(checkout) == digest, "compiled files are not the release"

    base_html = checkout / "portal" / "templates" / "base.html"
    base_html.write_text(base_html.read_text() + "<!-- new footer -->")
    changed = release.code_digest(checkout)
    assert changed != digest
    (checkout / "requirements.txt").write_text("wagtail==9.0\n")
    assert release.code_digest(checkout) not in (digest, changed)
    (checkout / "events" / "new_module.py").write_text("")
    assert release.code_digest(checkout) not in (digest, changed)


def test_cache_release_names_the_release(as_release):
    as_release("")
    assert release.release_id() == release.code_digest(Path(settings.BASE_DIR))
    as_release("2026-12-01-a1b2c3")
    assert release.release_id() == "2026-12-01-a1b2c3"


def test_a_new_release_renders_anew_and_a_publish_drops_what_either_cached(
    client, portal_site, settings, as_release
):
    settings.PAGE_CACHE_SECONDS = 300
    article = ArticlePageFactory(parent=portal_site["news"], title="Avant la mise à jour")
    as_release("old")
    assert client.get("/fr/actualites/")["X-Cache"] == "miss"
    assert client.get("/fr/actualites/")["X-Cache"] == "hit"
    as_release("new")
    # Nothing the old code stored is served: the page, and every fragment and listing in it.
    assert client.get("/fr/actualites/")["X-Cache"] == "miss"
    assert client.get("/fr/actualites/")["X-Cache"] == "hit"

    # A rolling deploy: published through a server of the new release...
    article.title = "Après la mise à jour"
    article.save_revision().publish()
    as_release("old")
    # ...and the old release's servers drop their copy too.
    response = client.get("/fr/actualites/")
    assert response["X-Cache"] == "miss"
    assert "Après la mise à jour" in response.content.decode()


def test_routes_listings_and_fragments_of_another_release_are_not_used(client, portal_site, as_release):
    """With the page cache off: warm, a page costs one query; under a new release it is built anew."""
    ArticlePageFactory(parent=portal_site["news"], title="Une dépêche")
    as_release("old")
    client.get("/fr/actualites/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/fr/actualites/")
    as_release("new")
    with CaptureQueriesContext(connection) as first_of_new:
        client.get("/fr/actualites/")
    assert len(warm) == 1
    assert len(first_of_new) > 10, "the new release used what the old one cached"

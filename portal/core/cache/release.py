"""Which release of the code is running: what one release cached, another never serves.

Cached HTML (whole pages, fragments) and pickled pages and listings are made
by this code and its templates. After a deploy that changes them, nothing
would otherwise drop what the previous release stored: a fragment nobody
publishes around stays a day, and a page's cached HTML could name a
stylesheet the new release no longer has. So the keys of cached values carry
the release: a digest of the portal's own files (code, templates,
translations, static files) and of the pinned requirements, the same on every
app server running the same code, which therefore share their cache.

The cache tags' generations and their clock are not per release: during a
rolling deploy, a publish through a server of either release drops what both
have cached.

CACHE_RELEASE (a commit id, say) names the release instead of the digest,
for a deployment that already knows it.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings

# The apps whose files make what is cached; requirements.txt pins what renders with them.
SOURCES = ("portal", "brand", "events")


@functools.cache
def release_id():
    if settings.CACHE_RELEASE:
        return settings.CACHE_RELEASE
    return code_digest(Path(settings.BASE_DIR))


def code_digest(base):
    """A digest of the files under SOURCES and of requirements.txt: names and contents, in a fixed order."""
    files = sorted(
        path
        for folder in SOURCES
        for path in (base / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )
    digest = hashlib.sha256()
    for path in [*files, base / "requirements.txt"]:
        digest.update(path.relative_to(base).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"")
        digest.update(b"\0")
    return digest.hexdigest()[:16]

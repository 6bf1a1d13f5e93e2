"""The brand's drawings (#26): made by our code, committed as files that match it, valid SVG."""

import math
import xml.etree.ElementTree as ET

import pytest

from portal.core import artwork
from portal.management.commands.brand_artwork import BRAND_DIR, FILES

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_committed_logo_files_are_what_the_code_draws(name):
    # After changing the drawing: `python manage.py brand_artwork`, then commit the files.
    assert (BRAND_DIR / name).read_text(encoding="utf-8") == FILES[name]()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_logo_is_named_for_screen_readers_and_readable_on_its_background(theme):
    root = ET.fromstring(artwork.logo(theme))  # noqa: S314 (our own drawing: well-formed is the test)
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "MoroccoTech"
    word = root.find(f"{SVG}text/{SVG}tspan").get("fill")
    assert word == (artwork.INK if theme == "light" else artwork.WHITE)


def test_the_khatam_is_two_squares_turned_by_45_degrees():
    points = artwork.star(0, 0, 10)
    radii = [round(math.hypot(x, y), 6) for x, y in points]
    assert len(points) == 16 and set(radii[::2]) == {10.0}
    # The inner corners lie where the two squares' sides cross.
    assert set(radii[1::2]) == {round(10 * math.cos(math.pi / 4) / math.cos(math.pi / 8), 6)}


def test_the_hero_pattern_is_decorative_and_repeats_seamlessly():
    root = ET.fromstring(artwork.hero())  # noqa: S314 (our own drawing)
    assert root.get("aria-hidden") == "true"
    pattern = root.find(f"{SVG}defs/{SVG}pattern")
    tile = float(pattern.get("width"))
    # Every shape cut by the tile's right or bottom edge has its twin on the opposite edge.
    shapes = [tuple(p.get("points").split()) for p in pattern.iter(f"{SVG}polygon")]
    centres = set()
    for points in shapes:
        xs = [float(pair.split(",")[0]) for pair in points]
        ys = [float(pair.split(",")[1]) for pair in points]
        centres.add((round((min(xs) + max(xs)) / 2, 1), round((min(ys) + max(ys)) / 2, 1)))
    for x, y in centres:
        if x == tile:
            assert (0.0, y) in centres
        if y == tile:
            assert (x, 0.0) in centres


def test_the_home_shows_the_hero_art_and_every_page_the_mark(client, portal_site):
    html = client.get("/fr/").content.decode()
    assert 'class="hero__art"' in html and 'id="zellige"' in html
    assert html.count('class="brand-mark"') == 2  # header and footer

"""The brand's drawings, made by code: the logo's mark and the zellige pattern of the home's hero.

Both are built from the khatam, the eight-pointed star of two squares that
Moroccan zellige repeats; ours is drawn from geometry here, not traced from
any existing mark or tile photograph. The functions return SVG markup;
`manage.py brand_artwork` writes the logo files in portal/static/portal/brand/
(tests/portal/core/test_artwork.py fails if a committed file differs from what
the code draws).
"""

import functools
import math

RED, GREEN, INK, WHITE, SAND, GOLD = "#c1272d", "#006233", "#14213d", "#ffffff", "#faf5ec", "#c9a227"


def fmt(value):
    return f"{value:.2f}".rstrip("0").rstrip(".")


def star(cx, cy, outer, rotation=0.0):
    """The 16 vertices of a khatam: two squares, the second turned by 45 degrees."""
    inner = outer * math.cos(math.pi / 4) / math.cos(math.pi / 8)
    points = []
    for k in range(16):
        radius = outer if k % 2 == 0 else inner
        angle = rotation + k * math.pi / 8 - math.pi / 2
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def polygon(points, fill, **attributes):
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attributes.items())
    coordinates = " ".join(f"{fmt(x)},{fmt(y)}" for x, y in points)
    return f'<polygon points="{coordinates}" fill="{fill}"{extra}/>'


def square(cx, cy, half, rotation=0.0):
    return [
        (cx + half * math.sqrt(2) * math.cos(rotation + math.pi / 4 + k * math.pi / 2),
         cy + half * math.sqrt(2) * math.sin(rotation + math.pi / 4 + k * math.pi / 2))
        for k in range(4)
    ]  # fmt: skip


def mark_shapes(size=64, x=0, y=0, background=RED, star_fill=WHITE):
    """The mark on its tile: a white khatam, a red lozenge and a green heart, as (points, colour)."""
    cx, cy, h = x + size / 2, y + size / 2, size / 64
    return [
        (star(cx, cy, 21.2 * h), star_fill),
        (square(cx, cy, 8 * h, math.pi / 4), background),
        (square(cx, cy, 2.5 * h), GREEN),
    ]


def mark(size=64, x=0, y=0, background=RED, star_fill=WHITE):
    """The logo's mark in SVG: the shapes on a red tile with rounded corners."""
    return (
        f'<g transform="translate({fmt(x)} {fmt(y)})">'
        f'<rect width="{fmt(size)}" height="{fmt(size)}" rx="{fmt(12 * size / 64)}" fill="{background}"/>'
        + "".join(polygon(points, colour) for points, colour in mark_shapes(size, 0, 0, background, star_fill))
        + "</g>"
    )


@functools.cache
def logo(theme="light"):
    """The full logo: the mark and the wordmark, ink on light backgrounds or white on dark ones."""
    word = INK if theme == "light" else WHITE
    accent = RED if theme == "light" else "#ff8a8f"
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 64" width="300" height="64" role="img" '
        'aria-labelledby="logo-title"><title id="logo-title">MoroccoTech</title>'
        + mark()
        # textLength: the wordmark keeps its width in whatever font draws it (Cairo where loaded).
        + '<text x="78" y="44" font-family="Cairo, system-ui, sans-serif" font-size="34" font-weight="800" '
        'textLength="214" lengthAdjust="spacingAndGlyphs">'
        f'<tspan fill="{word}">Morocco</tspan><tspan fill="{accent}">Tech</tspan></text>'
        "</svg>\n"
    )


def tile_shapes(tile=96, x=0, y=0):
    """One tile of the pattern at (x, y), as (points, colour): for SVG here, for Pillow in
    portal.core.social_cards. Khatams on the grid's corners and centre, lozenges between."""
    half = tile / 2
    shapes = []
    for cx, cy in ((0, 0), (tile, 0), (0, tile), (tile, tile), (half, half)):
        cx, cy = x + cx, y + cy
        shapes.append((star(cx, cy, tile * 0.3), RED))
        shapes.append((star(cx, cy, tile * 0.18, math.pi / 8), SAND))
        shapes.append((square(cx, cy, tile * 0.06, math.pi / 4), GREEN))
    for cx, cy in ((half, 0), (0, half), (tile, half), (half, tile)):
        cx, cy = x + cx, y + cy
        shapes.append((square(cx, cy, tile * 0.11, math.pi / 4), GREEN))
        shapes.append((square(cx, cy, tile * 0.045), GOLD))
    return shapes


@functools.cache
def zellige(tile=96):
    """A tile of the hero's pattern: khatams on the grid, lozenges between them, a star at each heart.

    The tile repeats seamlessly (its corners and edges carry the halves and
    quarters of the same shapes); the hero shows it through a fade towards the
    text, mirrored in Arabic by the stylesheet.
    """
    shapes = [polygon(points, colour) for points, colour in tile_shapes(tile)]
    return (
        f'<pattern id="zellige" width="{tile}" height="{tile}" patternUnits="userSpaceOnUse">'
        f'<rect width="{tile}" height="{tile}" fill="{SAND}"/>' + "".join(shapes) + "</pattern>"
    )


# The placeholders' grounds, in turn: a card without an image gets one by its page's id,
# so that a row of cards alternates rather than repeats one picture.
PLACEHOLDER_TONES = (INK, GREEN, RED)
PLACEHOLDER_SIZE = (640, 360)


@functools.cache
def placeholder(index):
    """A card's picture when its page has none: the pattern in white on a brand colour, the mark at its heart.

    16:9 like the cards' image crops, so that a grid of cards lines up
    whether or not each has a photo (decorative: the card's title says what it is).
    """
    ground = PLACEHOLDER_TONES[index % len(PLACEHOLDER_TONES)]
    width, height = PLACEHOLDER_SIZE
    tile = 120
    # The hero's tile, its colours turned into veils of white over the ground.
    veils = {
        RED: 'fill-opacity=".14"',
        SAND: 'fill-opacity="0"',
        GREEN: 'fill-opacity=".22"',
        GOLD: 'fill-opacity=".3"',
    }
    shapes = "".join(
        polygon(points, WHITE).replace("/>", f" {veils[colour]}/>") for points, colour in tile_shapes(tile)
    )
    centre = "".join(
        polygon(points, colour)
        for points, colour in mark_shapes(180, (width - 180) / 2, (height - 180) / 2, background=ground)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}"><defs><pattern id="p" width="{tile}" height="{tile}" patternUnits="userSpaceOnUse" '
        f'x="{fmt(width / 2 - tile / 2)}" y="{fmt(height / 2 - tile / 2)}">{shapes}</pattern></defs>'
        f'<rect width="{width}" height="{height}" fill="{ground}"/>'
        f'<rect width="{width}" height="{height}" fill="url(#p)"/>{centre}</svg>\n'
    )


@functools.cache
def hero(width=480, height=360):
    """The home hero's artwork: the pattern, fading out towards the text's side (decorative)."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="hero__art" viewBox="0 0 {width} {height}" '
        'aria-hidden="true" focusable="false" preserveAspectRatio="xMidYMid slice"><defs>'
        + zellige()
        + '<linearGradient id="zellige-fade" x1="0" x2="1" y1="0" y2="0">'
        '<stop offset="0" stop-color="#fff" stop-opacity="0"/><stop offset="0.45" stop-color="#fff"/>'
        '</linearGradient><mask id="zellige-mask">'
        f'<rect width="{width}" height="{height}" fill="url(#zellige-fade)"/></mask></defs>'
        f'<rect width="{width}" height="{height}" fill="url(#zellige)" mask="url(#zellige-mask)"/></svg>'
    )

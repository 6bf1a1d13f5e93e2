"""The sharing image of an article or an event, drawn on our side (#26).

1200×630 PNG: the title in the page's script on the brand's ink, the logo's
mark and name, what the page is (a kicker and a date), and a band of the
home's zellige on the text's end side; Arabic is shaped and laid right to left
(Pillow with libraqm), Tifinagh drawn in Noto Sans Tifinagh. The image's
address carries a digest of what it shows: a new title is a new address, so
a changed title is a new image and old shares keep theirs. Images are drawn
on first request (or when the page is published, by the worker) and kept in
the media storage.

A page offers a card through `social_card()`: {"title", "kicker", "date"} or
None, called in the page's language. This module imports no app.
"""

import hashlib
import io
import unicodedata
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation
from PIL import Image, ImageDraw, ImageFont

from portal.core import artwork

WIDTH, HEIGHT = 1200, 630
# Part of every digest: a new drawing makes new addresses (crawlers re-read them).
DRAWING_VERSION = 1
FONTS = Path(settings.BASE_DIR) / "portal" / "static" / "portal" / "fonts"
FONT_FILES = {
    "latin": "cairo-latin-wght-normal.woff2",
    "latin-ext": "cairo-latin-ext-wght-normal.woff2",
    "arabic": "cairo-arabic-wght-normal.woff2",
    "tifinagh": "noto-sans-tifinagh-400-normal.woff2",
}
MARGIN, BAND = 72, 260
INK, WHITE, SAND, ROSE = (20, 33, 61), (255, 255, 255), (250, 245, 236), (255, 170, 173)


def script_of(word):
    """The font a word needs: Cairo's subsets and Noto Sans Tifinagh, as the stylesheet splits them."""
    for char in word:
        code = ord(char)
        if 0x0600 <= code <= 0x08FF or 0xFB50 <= code <= 0xFEFC:
            return "arabic"
        if 0x2D30 <= code <= 0x2D7F:
            return "tifinagh"
    if any(0x0100 <= ord(c) <= 0x02FF or 0x1E00 <= ord(c) <= 0x1EFF for c in word):
        return "latin-ext"
    return "latin"


def is_rtl(word):
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in word)


@cache
def font(script, size, weight="Bold"):
    face = ImageFont.truetype(str(FONTS / FONT_FILES[script]), size, layout_engine=ImageFont.Layout.RAQM)
    if script != "tifinagh":  # Cairo is variable; Noto Sans Tifinagh comes in one weight
        face.set_variation_by_name(weight)
    return face


def word_width(word, size, weight):
    face = font(script_of(word), size, weight)
    return face.getlength(word, direction="rtl" if is_rtl(word) else "ltr")


def wrap(text, size, width, weight="Bold"):
    """Words into lines no wider than `width`."""
    space = font("latin", size, weight).getlength(" ")
    lines, line, used = [], [], 0.0
    for word in text.split():
        w = word_width(word, size, weight)
        if line and used + space + w > width:
            lines.append(line)
            line, used = [], 0.0
        line.append(word)
        used += (space if used else 0) + w
    if line:
        lines.append(line)
    return lines


TITLE_SIZES = (64, 56, 48)
MAX_LINES = 4


def title_layout(title, width):
    """(font size, lines): the largest size that holds the title in four lines; at the smallest,
    a longer title is cut after four lines and ends with …"""
    for size in TITLE_SIZES:
        lines = wrap(title, size, width)
        if len(lines) <= MAX_LINES:
            return size, lines
    lines = lines[:MAX_LINES]
    lines[-1] = [*lines[-1][:-1], lines[-1][-1].rstrip(".,;:") + "…"]
    return size, lines


def runs(words, rtl):
    """The words in the order the eye meets them from the left: a right-to-left line reads its
    words from the right, and a run of left-to-right words inside keeps its own order (and the
    converse); the bidi algorithm at the level of words, enough for a title."""
    groups = []
    for word in words:
        direction = is_rtl(word) or (rtl and not any(c.isalpha() for c in word))
        if groups and groups[-1][0] == direction:
            groups[-1][1].append(word)
        else:
            groups.append((direction, [word]))
    ordered = []
    for direction, group in reversed(groups) if rtl else groups:
        ordered.extend(reversed(group) if direction else group)
    return ordered


def draw_line(draw, words, y, size, rtl, colour, weight="Bold", x_start=MARGIN, x_end=WIDTH - MARGIN):
    space = font("latin", size, weight).getlength(" ")
    ordered = runs(words, rtl)
    total = sum(word_width(w, size, weight) for w in ordered) + space * (len(ordered) - 1)
    x = x_end - total if rtl else x_start
    for word in ordered:
        face = font(script_of(word), size, weight)
        direction = "rtl" if is_rtl(word) else "ltr"
        draw.text((x, y), word, font=face, fill=colour, direction=direction, anchor="ls")
        x += face.getlength(word, direction=direction) + space


def zellige_band(image, rtl):
    """The home's pattern, from the same shapes as its SVG (portal.core.artwork.tile_shapes)."""
    band = Image.new("RGB", (BAND, HEIGHT), artwork.SAND)
    pen = ImageDraw.Draw(band)
    tile = 96
    for row in range(HEIGHT // tile + 1):
        for column in range(BAND // tile + 1):
            for points, colour in artwork.tile_shapes(tile, column * tile, row * tile):
                pen.polygon(points, fill=colour)
    image.paste(band, (0 if rtl else WIDTH - BAND, 0))


def draw_card(card, language):
    """The PNG bytes of a card ({"title", "kicker", "date"}) in `language`."""
    rtl = translation.get_language_info(language)["bidi"]
    image = Image.new("RGB", (WIDTH, HEIGHT), INK)
    zellige_band(image, rtl)
    pen = ImageDraw.Draw(image)
    text_start = MARGIN + (BAND if rtl else 0)
    text_end = WIDTH - MARGIN - (0 if rtl else BAND)
    # The mark and the name, at the top of the text's side.
    mark_x = text_end - 64 if rtl else text_start
    pen.rounded_rectangle((mark_x, MARGIN, mark_x + 64, MARGIN + 64), radius=12, fill=artwork.RED)
    for points, colour in artwork.mark_shapes(64, mark_x, MARGIN):
        pen.polygon(points, fill=colour)
    name_x = (mark_x - 18 - font("latin", 40).getlength("MoroccoTech")) if rtl else mark_x + 82
    pen.text((name_x, MARGIN + 46), "MoroccoTech", font=font("latin", 40), fill=WHITE, anchor="ls")

    width = text_end - text_start
    kicker = " · ".join(part for part in (card.get("kicker"), card.get("date")) if part)
    if kicker:
        draw_line(pen, kicker.split(), MARGIN + 150, 30, rtl, ROSE, "SemiBold", text_start, text_end)
    size, lines = title_layout(card["title"], width)
    leading = int(size * 1.3)
    y = MARGIN + 150 + 40 + leading
    for line in lines:
        draw_line(pen, line, y, size, rtl, WHITE, "Bold", text_start, text_end)
        y += leading
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def card_of(page):
    make = getattr(page, "social_card", None)
    return make() if make else None


def digest(card, language):
    key = f"{DRAWING_VERSION}|{language}|{card['title']}|{card.get('kicker', '')}|{card.get('date', '')}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def language_of(page):
    return page.locale.language_code


def url_for(page):
    """The card's address (a path), or None for a page without one."""
    with translation.override(language_of(page)):
        card = card_of(page)
    if card is None:
        return None
    return reverse("social_card", kwargs={"page_id": page.pk, "digest": digest(card, language_of(page))})


def stored_name(page_id, key):
    return f"social-cards/{page_id}-{key}.png"


def ensure(page):
    """The stored card's name, drawn now if it is not stored yet; None for a page without a card."""
    language = language_of(page)
    with translation.override(language):
        card = card_of(page)
    if card is None:
        return None
    name = stored_name(page.pk, digest(card, language))
    if not default_storage.exists(name):
        with translation.override(language):
            data = draw_card(card, language)
        name = default_storage.save(name, ContentFile(data))
    return name

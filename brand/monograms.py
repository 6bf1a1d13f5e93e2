"""Monograms for the partner organisations: what setup gives them instead of their logos.

Logos are their owners' marks: editors upload them (with the right to use
them); setup never copies one. Until then an organisation shows a monogram
drawn here: its acronym, or its initials, in white Cairo Bold on a tile of
one of the brand's colours (chosen from its slug, so it never changes).
"""

import functools
import hashlib
import io

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw
from wagtail.images import get_image_model

from portal.core import artwork
from portal.core.social_cards import font

SIZE = 480
COLOURS = (artwork.RED, artwork.GREEN, artwork.INK, "#7a4b1e")
STOP_WORDS = {"de", "des", "du", "la", "le", "les", "et", "pour", "of", "the", "and", "d", "l"}


def letters(organisation):
    if organisation.acronym:
        return organisation.acronym.strip()[:6]
    words = [
        w for w in organisation.name.replace("'", " ").replace("’", " ").split() if w.lower() not in STOP_WORDS
    ]
    if len(words) == 1 and len(words[0]) <= 10:
        return words[0]  # "Technopark": one word reads better whole than as one letter
    return "".join(w[0] for w in words[:3]).upper() or organisation.name[:2].upper()


@functools.cache  # the same picture for the same letters and slug: drawn once per process
def draw(text, slug):
    colour = COLOURS[int(hashlib.sha256(slug.encode()).hexdigest(), 16) % len(COLOURS)]
    image = Image.new("RGB", (SIZE, SIZE), colour)
    pen = ImageDraw.Draw(image)
    for size in (220, 180, 150, 120, 100, 84, 72, 64):
        face = font("latin", size, "Bold")
        if face.getlength(text) <= SIZE * 0.8:
            break
    pen.text((SIZE / 2, SIZE / 2), text, font=face, fill="#ffffff", anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def monogram_image(organisation):
    """A new Wagtail image holding the organisation's monogram."""
    text = letters(organisation)
    data = draw(text, organisation.slug)
    return get_image_model().objects.create(
        title=f"Monogramme {text} ({organisation.name})"[:255],
        file=ImageFile(io.BytesIO(data), name=f"monogramme-{organisation.slug}.png"),
    )

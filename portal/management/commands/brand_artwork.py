import functools
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from portal.core import artwork

BRAND_DIR = Path(settings.BASE_DIR) / "portal" / "static" / "portal" / "brand"
FILES = {
    "logo.svg": lambda: artwork.logo("light"),
    "logo-dark.svg": lambda: artwork.logo("dark"),
    **{
        f"placeholder-{index}.svg": functools.partial(artwork.placeholder, index)
        for index in range(len(artwork.PLACEHOLDER_TONES))
    },
}


class Command(BaseCommand):
    help = (
        "Write the logo files (light and dark) and the cards' placeholders in portal/static/portal/brand/ from portal/core/artwork.py, "
        "after a change to the drawing. The files are committed; a test fails if they differ from the code."
    )

    def handle(self, *args, **options):
        BRAND_DIR.mkdir(parents=True, exist_ok=True)
        for name, draw in FILES.items():
            (BRAND_DIR / name).write_text(draw(), encoding="utf-8")
            if options["verbosity"]:
                self.stdout.write(f"wrote {BRAND_DIR / name}")

"""`make lighthouse`: Lighthouse's scores for the pages visitors land on, on a phone, written down.

    python -m portal.tooling.lighthouse [--output docs/benchmarks.md] [--runs 1]

Builds a scratch database (as `make bench` does: on the PostgreSQL server
DATABASE_URL points to, else a SQLite file), sets the portal up as
`make setup` does, gives the newest French article a lead image (a
generated 2400×1600 photo-like JPEG of 1 MB, as an editor would upload one)
and writes an Arabic article of our own with the same image, then serves it
with gunicorn (production settings, DEBUG off, page cache on, media served
by the app). Lighthouse (npm, pinned in portal/tooling/lighthouse/) audits the
home, that article, the startup directory and the events index, in French and
Arabic, with its phone profile (Moto G Power, slow 4G, 4× CPU slowdown,
simulated) in Debian's chromium. Nothing leaves the loopback interface: the
pages fetch nothing from elsewhere.

The table (and each page's first-load weight) goes into docs/benchmarks.md,
after the `make bench` part, which keeps it; the JSON reports stay in
var/lighthouse/ for a closer look.
"""

import argparse
import datetime
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from portal.tooling.benchmark import (
    BASE_DIR,
    LIGHTHOUSE_MARKER,
    PYTHON,
    ensure_debian_package,
    gunicorn,
    log,
    machine,
    manage,
    production_env,
    scratch_database,
    stop_on_sigterm,
    warm,
)

TOOL_DIR = Path(__file__).resolve().parent / "lighthouse"
LIGHTHOUSE = TOOL_DIR / "node_modules" / ".bin" / "lighthouse"
REPORTS_DIR = BASE_DIR / "var" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# What issue #26 asks of every page, phone profile.
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 100}
# The article's first load (HTML, styles, fonts, scripts, images) with its lead image.
ARTICLE_BUDGET_KB = 200
# Our own text, for the Arabic article the run adds (the seeds are French).
ARABIC_ARTICLE = {
    "title": "منصة مغربية جديدة تقرّب الشركات الناشئة من المستثمرين",
    "standfirst": (
        "أطلق فريق من المهندسين الشباب في الدار البيضاء منصة رقمية تتيح للشركات الناشئة "
        "عرض مشاريعها أمام صناديق الاستثمار والجهات الداعمة في مكان واحد."
    ),
    "paragraphs": [
        "تجمع المنصة ملفات الشركات وأرقامها الأساسية، وتسمح للمستثمرين بالبحث حسب القطاع والمدينة ومرحلة النمو.",
        "ويقول مؤسسو المشروع إن الهدف هو تقليص الوقت الذي تقضيه الفرق الناشئة في البحث عن التمويل، "
        "حتى تتفرغ لتطوير منتجاتها وخدمة زبنائها.",
    ],
    "alt": "أشكال ملوّنة متداخلة على خلفية زرقاء",
}


def ensure_lighthouse():
    if LIGHTHOUSE.exists():
        return LIGHTHOUSE
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("Lighthouse needs Node.js's npm (Debian: sudo apt-get install -y npm).")
    log("installing Lighthouse (npm ci, portal/tooling/lighthouse/)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--prefix", str(TOOL_DIR)], check=True)
    return LIGHTHOUSE


def photo_bytes():
    """A photo-like JPEG of 2400×1600 (gradients, shapes, grain): it weighs what a real photo does."""
    rng = random.Random(26)  # noqa: S311 (the same picture every run, not a secret)
    width, height = 2400, 1600
    picture = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        draw.line([(0, y), (width, y)], fill=(30 + y // 20, 80 + y // 30, 150 - y // 25))
    for _ in range(300):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(20, 180)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=tuple(rng.randrange(256) for _ in range(3)))
    picture = picture.filter(ImageFilter.GaussianBlur(4))
    picture = Image.blend(picture, Image.effect_noise((width, height), 40).convert("RGB"), 0.12)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def prepare_main():
    """In a Django process on the scratch database: the lead images and the Arabic article; prints the URLs."""
    import django

    # Django's models load only once it is set up: in this mode, not the parent's.
    django.setup()
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model
    from wagtail.models import Locale

    from brand.models import StartupIndexPage
    from events.models import EventIndexPage
    from portal.news.models import ArticlePage, NewsIndexPage
    from portal.sitewide.models import HomePage

    image = get_image_model().objects.create(
        title="Formes colorées",
        file=ImageFile(io.BytesIO(photo_bytes()), name="formes-colorees.jpg"),
        description="Des formes colorées floues sur un fond bleu",
    )
    article = (
        ArticlePage.objects.live().filter(locale__language_code="fr").order_by("-published_on", "-pk").first()
    )
    article.lead_image = image
    article.lead_image_alt = "Des formes colorées floues sur un fond bleu"
    article.lead_image_caption = "Une image de démonstration, dessinée par le code du portail."
    article.lead_image_credit = "Image : MoroccoTech"
    article.save_revision().publish()

    arabic = Locale.objects.get(language_code="ar")
    news_ar = NewsIndexPage.objects.get(locale=arabic)
    body = [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in ARABIC_ARTICLE["paragraphs"]]
    article_ar = news_ar.add_child(
        instance=ArticlePage(
            title=ARABIC_ARTICLE["title"],
            slug="mansa-maghribiya-jadida",
            locale=arabic,
            standfirst=ARABIC_ARTICLE["standfirst"],
            body=json.dumps(body),
            published_on=datetime.date.today(),
            source_name="MoroccoTech",
            lead_image=image,
            lead_image_alt=ARABIC_ARTICLE["alt"],
        )
    )
    article_ar.save_revision().publish()

    pages = {}
    for language in ("fr", "ar"):
        locale = Locale.objects.get(language_code=language)
        pages[f"home ({language})"] = HomePage.objects.get(locale=locale).url
        pages[f"article ({language})"] = (article if language == "fr" else article_ar).url
        pages[f"startups ({language})"] = StartupIndexPage.objects.get(locale=locale).url
        pages[f"events ({language})"] = EventIndexPage.objects.get(locale=locale).url
    print(json.dumps(pages))


def audit(lighthouse, url, report):
    command = [
        str(lighthouse),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run",
        "--max-wait-for-load=60000",
    ]
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"}, timeout=300)
    data = json.loads(report.read_text(encoding="utf-8"))
    scores = {name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES}
    audits = data["audits"]
    failing = sorted(
        key
        for key, result in audits.items()
        if result.get("score") is not None
        and result["score"] < 0.9
        and result.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    )
    return {
        **scores,
        "weight_kb": audits["total-byte-weight"]["numericValue"] / 1024,
        "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "failing": failing,
    }


def render(results, database, chromium, version, started):
    lines = [
        LIGHTHOUSE_MARKER,
        "",
        "## Lighthouse",
        "",
        f"Measured by `make lighthouse` on {datetime.date.today().isoformat()}: Lighthouse {version}, phone "
        f"profile (simulated slow 4G, 4× CPU slowdown), {chromium}, headless; {machine()}.",
        f"Served by gunicorn (production settings, page cache on, media served by the app), {database}, "
        "after `make setup`'s content. The articles carry a 2400×1600 lead image of 1 MB, as uploaded.",
        "",
        "| Page | Performance | Accessibility | Best practices | SEO | First load | LCP | CLS | TBT |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in results.items():
        lines.append(
            f"| {name} | {row['performance']} | {row['accessibility']} | {row['best-practices']} | {row['seo']} "
            f"| {row['weight_kb']:.0f} KB | {row['lcp_s']:.1f} s | {row['cls']:.3f} | {row['tbt_ms']:.0f} ms |"
        )
    misses = [
        f"{name}: {category} {row[category]} < {target}"
        for name, row in results.items()
        for category, target in TARGETS.items()
        if row[category] < target
    ]
    heavy = [
        f"{name}: {row['weight_kb']:.0f} KB"
        for name, row in results.items()
        if name.startswith("article") and row["weight_kb"] > ARTICLE_BUDGET_KB
    ]
    lines += [
        "",
        "Targets (#26): performance ≥ 95, accessibility 100, best practices ≥ 95, SEO 100; the article with its "
        f"lead image under {ARTICLE_BUDGET_KB} KB on first load (Lighthouse's total byte weight).",
        "",
        f"- Below target: {'; '.join(misses) if misses else 'none'}.",
        f"- Articles over the weight budget: {'; '.join(heavy) if heavy else 'none'}.",
    ]
    failing = sorted({audit for row in results.values() for audit in row["failing"]})
    if failing:
        lines.append(f"- Audits under 90 on some page: {', '.join(failing)}.")
    lines.append(
        f"\nThe run took {time.perf_counter() - started:.0f} s; the JSON reports are in var/lighthouse/.\n"
    )
    return "\n".join(lines), misses or heavy


def write_section(path, section):
    """docs/benchmarks.md keeps `make bench`'s part above the marker; this run's replaces what follows it."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    head = text.split(LIGHTHOUSE_MARKER, 1)[0].rstrip("\n")
    path.write_text(f"{head}\n\n{section}", encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", default=str(BASE_DIR / "docs" / "benchmarks.md"), help="'-' for stdout only")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        return prepare_main()

    signal.signal(signal.SIGTERM, stop_on_sigterm)
    started = time.perf_counter()
    ensure_debian_package("chromium", "/usr/bin/chromium")
    lighthouse = ensure_lighthouse()
    version = subprocess.run([str(lighthouse), "--version"], capture_output=True, text=True, check=True).stdout
    chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True).stdout.strip()
    REPORTS_DIR.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="moroccotech-lighthouse-"))
    results = {}
    try:
        with scratch_database(workdir) as (database_url, database):
            # The media too: no web server of its own in front of the app here.
            env = production_env(workdir, database_url, "lighthouse", SERVE_MEDIA="true")
            log(f"scratch database: {database}; setting the portal up")
            manage(env, "migrate", "--no-input", "-v", "0")
            manage(env, "collectstatic", "--no-input", "-v", "0")
            manage(env, "setup_portal", "--demo", "-v", "0")
            output = subprocess.run(
                [PYTHON, "-m", "portal.tooling.lighthouse", "--prepare"],
                env=env,
                cwd=BASE_DIR,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            pages = json.loads(output.strip().splitlines()[-1])
            with gunicorn(env, 2, workdir / "gunicorn.log") as (base, _process):
                for name, path in pages.items():
                    warm(base + path)
                    report = REPORTS_DIR / (name.replace(" (", "-").rstrip(")") + ".json")
                    results[name] = audit(lighthouse, base + path, report)
                    row = results[name]
                    log(
                        f"{name:18} perf {row['performance']:3} a11y {row['accessibility']:3} "
                        f"bp {row['best-practices']:3} seo {row['seo']:3}  {row['weight_kb']:.0f} KB"
                        + (f"  under 90: {', '.join(row['failing'])}" if row["failing"] else "")
                    )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    section, missed = render(results, database, chromium, version.strip(), started)
    print(section)
    if args.output != "-":
        write_section(Path(args.output), section)
        log(f"written to {args.output}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

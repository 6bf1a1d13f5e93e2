"""Realistic, clearly fake content in bulk, for benchmarks and scale tests.

`generate_content` fills the French tree with articles, events, startups and
organisations: French text with accents, tags, sectors, cities, dates over
ten years, and links between them (articles naming organisations and
startups, events organised by organisations and covered by articles,
startups backed by organisations). Every title says "(fictif)", every slug
starts with "fictif-", every startup is flagged as a sample: nobody can take
them for real news.

Speed: Wagtail's page API saves one page at a time (a tree update, a
revision, signals, an index update: about 20 pages per second). Here pages
are built in memory, their tree paths numbered after the parent's last
child, and rows written in batches: the page rows, then each model's own
rows, one revision per page (what the editor opens), then the tags, the
many-to-many rows and the child rows; the search index is updated in bulk
at the end, and every cached page and fragment dropped once.
"""

import datetime
import random
import time
import uuid
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import escape
from taggit.models import Tag
from wagtail.models import Locale, Page, Revision

from brand.models import (
    ArticleMention,
    ArticleOrganisationLink,
    City,
    Organisation,
    Sector,
    StartupIndexPage,
    StartupPage,
    StartupPageTag,
)
from brand.models.startups import Stage, TeamSize
from events.models import EventFormat, EventIndexPage, EventPage, EventPageTag, EventRelatedArticle
from portal.core import indexing
from portal.core.cache import purge
from portal.news.models import ArticlePage, ArticlePageTag, NewsIndexPage
from portal.sitewide.models import HomePage
from portal.sitewide.setup import setup_site

GENERATED_SLUG_PREFIX = "fictif-"
GENERATED_MARK = " (fictif)"
BATCH = 500

TAGS = [
    "intelligence artificielle", "données", "cybersécurité", "e-santé", "fintech", "agritech", "edtech",
    "économie numérique", "cloud", "financement", "levée de fonds", "incubation", "export", "emploi",
    "formation", "open data", "e-gouvernement", "télécoms", "5G", "industrie 4.0", "mobilité", "énergie verte",
    "Afrique", "diaspora", "innovation", "hackathon", "régions", "femmes entrepreneures", "logistique", "tourisme",
]  # fmt: skip
PLACES = [
    "Casablanca", "Rabat", "Marrakech", "Fès", "Tanger", "Agadir", "Oujda", "Kénitra", "Tétouan", "Meknès",
    "El Jadida", "Dakhla", "Laâyoune", "Béni Mellal", "Errachidia",
]  # fmt: skip
ACTORS = [
    "Une jeune pousse {city}oise", "Le ministère délégué", "Un fonds d'amorçage", "L'agence régionale",
    "Un consortium d'entreprises", "Une école d'ingénieurs", "Un incubateur universitaire",
    "Une fédération professionnelle", "Un opérateur télécom", "Une banque marocaine",
]  # fmt: skip
ACTIONS = [
    "annonce le lancement d'un programme consacré à {topic}",
    "lève {amount} millions de dirhams pour accélérer dans {topic}",
    "signe une convention de partenariat autour de {topic}",
    "ouvre un nouveau centre dédié à {topic} à {city}",
    "présente une étude inédite sur {topic} au Maroc",
    "réunit plus de {people} participants autour de {topic}",
    "dévoile une stratégie régionale pour {topic}",
]  # fmt: skip
SENTENCES = [
    "Selon les organisateurs, l'initiative vise à renforcer l'écosystème de {topic} à {city} et dans les régions.",
    "« Nous voulons créer des emplois qualifiés et retenir nos talents », déclare la responsable du projet.",
    "Le programme s'adresse aux porteurs de projets, aux étudiants et aux PME désireuses de se numériser.",
    "Une première promotion de {people} bénéficiaires est attendue d'ici la fin de l'année.",
    "Les candidatures sont ouvertes en ligne ; la sélection se fera sur dossier puis devant un jury.",
    "Ce projet s'inscrit dans la stratégie nationale de transition numérique à l'horizon 2030.",
    "Les partenaires prévoient d'étendre le dispositif à d'autres villes, dont {city2}.",
    "Un comité de suivi publiera un bilan détaillé, indicateurs à l'appui, dans douze mois.",
    "L'événement a également été l'occasion de présenter des démonstrations de solutions développées localement.",
    "Les échanges ont porté sur le financement, l'accès aux marchés publics et la protection des données.",
]  # fmt: skip
STARTUP_WORDS = [
    "Atlas", "Sahara", "Argan", "Medina", "Oasis", "Zellige", "Cèdre", "Kasbah", "Safran", "Souk", "Doukkala",
    "Amazigh", "Riad", "Tadelakt", "Noria", "Khettara", "Menara", "Chergui", "Ifrane", "Toubkal",
]  # fmt: skip
STARTUP_SUFFIXES = ["Tech", "Data", "Pay", "Lab", "Santé", "Agro", "Learn", "Cloud", "Move", "Énergie", "IA"]
VENUES = ["Palais des congrès", "Technopark", "Campus universitaire", "Hôtel de ville", "Cité de l'innovation"]


@dataclass
class Generated:
    organisations: int = 0
    articles: int = 0
    events: int = 0
    startups: int = 0
    tags: int = 0
    seconds: float = 0.0
    per_model: dict = field(default_factory=dict)

    @property
    def pages(self):
        return self.articles + self.events + self.startups


class RealContentError(Exception):
    """The database holds content somebody made; generating fake content into it needs force=True."""


def real_content():
    """What the database holds that generate_content did not make: {label: count} (empty when none)."""
    found = {
        "articles": ArticlePage.objects.exclude(slug__startswith=GENERATED_SLUG_PREFIX).count(),
        "events": EventPage.objects.exclude(slug__startswith=GENERATED_SLUG_PREFIX).count(),
        # Sample startups (setup_portal --demo) are fake too.
        "startups": StartupPage.objects.exclude(slug__startswith=GENERATED_SLUG_PREFIX)
        .exclude(is_sample=True)
        .count(),
    }
    return {label: count for label, count in found.items() if count}


class Writer:
    """Writes pages built in memory under one parent, in batches (see the module)."""

    def __init__(self, parent, model):
        self.parent = Page.objects.select_for_update().get(pk=parent.pk)
        self.model = model
        self.content_type = ContentType.objects.get_for_model(model)
        self.page_type = ContentType.objects.get_for_model(Page)
        last = self.parent.get_last_child()
        self.next_step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1

    def place(self, page, when):
        """Give an unsaved page its tree position and publication state.

        Treebeard's path helpers (_get_path, _str2int) are private: bulk_create
        of thousands of pages cannot go through add_child() one by one.
        tests/portal/core/test_private_apis.py breaks if they change.
        """
        page.depth = self.parent.depth + 1
        page.path = Page._get_path(self.parent.path, page.depth, self.next_step)
        self.next_step += 1
        page.numchild = 0
        page.url_path = f"{self.parent.url_path}{page.slug}/"
        page.locale_id = self.parent.locale_id
        page.translation_key = uuid.uuid4()
        page.content_type = self.content_type
        page.draft_title = page.title
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = page.last_published_at = page.latest_revision_created_at = when

    def write(self, pages):
        for start in range(0, len(pages), BATCH):
            self.write_batch(pages[start : start + BATCH])
        Page.objects.filter(pk=self.parent.pk).update(numchild=F("numchild") + len(pages))

    def write_batch(self, pages):
        base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
        rows = Page.objects.bulk_create(
            [Page(**{f.attname: getattr(p, f.attname) for f in base_fields}) for p in pages]
        )
        for page, row in zip(pages, rows, strict=True):
            page.pk = page.id = page.page_ptr_id = row.pk
        insert_rows(self.model, pages)
        revisions = Revision.objects.bulk_create(
            Revision(
                content_type=self.content_type,
                base_content_type=self.page_type,
                object_id=str(page.pk),
                content=page.serializable_data(),
                created_at=page.first_published_at,
                object_str=page.title,
            )
            for page in pages
        )
        for page, revision in zip(pages, revisions, strict=True):
            page.latest_revision_id = page.live_revision_id = revision.pk
        Page.objects.bulk_update(
            [
                Page(pk=p.pk, latest_revision_id=p.latest_revision_id, live_revision_id=p.live_revision_id)
                for p in pages
            ],
            ["latest_revision", "live_revision"],
        )


def insert_rows(model, objects):
    """INSERT the model's own table rows (multi-table inheritance: bulk_create can't)."""
    fields = model._meta.local_concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Names from the model's own metadata, quoted; the values are parameters.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    values = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objects]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def m2m_rows(model, name, pairs):
    """The rows of a (parental) many-to-many field, for (object, related object) pairs."""
    relation = model._meta.get_field(name)
    through = relation.remote_field.through
    source, target = relation.m2m_column_name(), relation.m2m_reverse_name()
    through.objects.bulk_create(
        (through(**{source: obj.pk, target: related.pk}) for obj, related in pairs), batch_size=BATCH
    )


def tag_rows(model, pairs):
    """The rows of a page model's tags (its taggit through model), for (page, tags) pairs."""
    model.objects.bulk_create(
        (model(content_object_id=page.pk, tag=tag) for page, tags in pairs for tag in tags), batch_size=BATCH
    )


class ContentGenerator:
    def __init__(self, seed=0, today=None):
        # Seeded for reproducible content, not for secrets.
        self.random = random.Random(seed)  # noqa: S311
        self.today = today or timezone.localdate()
        self.locale = Locale.objects.get(language_code="fr")
        self.counters = {}

    # Text -----------------------------------------------------------------

    def pick(self, items, k=None):
        return self.random.choice(items) if k is None else self.random.sample(items, k)

    def fill(self, template):
        city, city2 = self.pick(PLACES, 2)
        return template.format(
            topic=self.pick(TAGS),
            city=city,
            city2=city2,
            amount=self.random.randint(2, 120),
            people=self.random.randint(30, 2500),
        )

    def paragraph(self, n=3):
        return " ".join(self.fill(s) for s in self.pick(SENTENCES, n))

    def body(self, paragraphs):
        blocks = []
        for i in range(paragraphs):
            if i and i % 2 == 0:
                blocks.append(
                    {
                        "type": "heading",
                        "value": self.fill("Ce que prévoit le projet à {city}"),
                        "id": str(uuid.uuid4()),
                    }
                )
            blocks.append(
                {"type": "paragraph", "value": f"<p>{escape(self.paragraph())}</p>", "id": str(uuid.uuid4())}
            )
        return blocks

    def when(self, years_back=10, years_ahead=0):
        start = self.today - datetime.timedelta(days=365 * years_back)
        span = 365 * (years_back + years_ahead)
        return start + datetime.timedelta(days=self.random.randint(0, span))

    def slug(self, kind, model):
        """fictif-<kind>-<n>, numbered after what earlier runs made: slugs stay unique among siblings."""
        prefix = f"{GENERATED_SLUG_PREFIX}{kind}-"
        if kind not in self.counters:
            self.counters[kind] = model.objects.filter(slug__startswith=prefix).count()
        self.counters[kind] += 1
        return f"{prefix}{self.counters[kind]:06d}"

    @staticmethod
    def moment(day, hour=9):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    # Content ---------------------------------------------------------------

    def tags(self):
        objects = []
        for name in TAGS:
            tag = Tag.objects.filter(name=name).first() or Tag.objects.create(name=name)
            objects.append(tag)
        return objects

    def organisations(self, n):
        kinds = [value for value, _label in Organisation.Kind.choices]
        created = Organisation.objects.bulk_create(
            Organisation(
                name=f"{self.fill(self.pick(['Agence', 'Association', 'Cluster', 'Fondation', 'Institut']) + ' {topic} de {city}')}"
                f" n° {i + 1}{GENERATED_MARK}",
                slug=self.slug("organisation", Organisation),
                kind=self.pick(kinds),
                city=self.pick(PLACES),
                description=self.paragraph(2),
                locale=self.locale,
                translation_key=uuid.uuid4(),
            )
            for i in range(n)
        )
        return created

    def articles(self, parent, n, tags, organisations):
        writer = Writer(parent, ArticlePage)
        pages, picks = [], []
        for _ in range(n):
            day = self.when()
            actor = self.fill(self.pick(ACTORS))
            page = ArticlePage(
                title=f"{actor} {self.fill(self.pick(ACTIONS))}{GENERATED_MARK}",
                slug=self.slug("article", ArticlePage),
                standfirst=self.paragraph(2),
                published_on=day,
                source_name="Presse fictive",
                author=self.pick(["Rédaction", "Salma B.", "Youssef E.", "Nadia T.", "Karim A."]),
                body=self.body(self.random.randint(3, 6)),
                mentions_brand=self.random.random() < 0.3,
            )
            writer.place(page, self.moment(day))
            chosen_tags = self.pick(tags, self.random.randint(1, 3))
            chosen_orgs = self.pick(organisations, min(len(organisations), self.random.randint(0, 2)))
            page.tags.set(chosen_tags)
            page.organisation_links = [
                ArticleOrganisationLink(organisation=o, sort_order=i) for i, o in enumerate(chosen_orgs)
            ]
            pages.append(page)
            picks.append((page, (chosen_tags, chosen_orgs)))
        writer.write(pages)
        tag_rows(ArticlePageTag, ((p, ts) for p, (ts, _o) in picks))
        ArticleOrganisationLink.objects.bulk_create(
            (ArticleOrganisationLink(article_id=p.pk, organisation=o, sort_order=i)
             for p, (_t, os) in picks for i, o in enumerate(os)),
            batch_size=BATCH,
        )  # fmt: skip
        ArticleMention.objects.bulk_create(
            (ArticleMention(article_id=p.pk, organisation=o, named_in_text=False) for p, (_t, os) in picks for o in os),
            batch_size=BATCH,
        )  # fmt: skip
        return pages

    def events(self, parent, n, tags, organisations, articles):
        writer = Writer(parent, EventPage)
        formats = [value for value, _label in EventFormat.choices]
        pages, picks = [], []
        for i in range(n):
            day = self.when(years_back=9, years_ahead=1)
            city = self.pick(PLACES)
            event_format = self.pick(formats)
            page = EventPage(
                title=f"{self.pick(['Forum', 'Salon', 'Hackathon', 'Rencontres', 'Sommet', 'Journée'])} "
                f"{self.pick(TAGS)} {city} {day.year}{GENERATED_MARK}",
                slug=self.slug("evenement", EventPage),
                summary=self.paragraph(2),
                body=self.body(self.random.randint(2, 4)),
                starts_at=self.moment(day),
                ends_at=self.moment(day + datetime.timedelta(days=self.random.randint(0, 2)), hour=18),
                event_format=event_format,
                venue="" if event_format == "online" else self.pick(VENUES),
                city="" if event_format == "online" else city,
                online_url="" if event_format == "in_person" else f"https://exemple.invalid/direct/{i}",
                registration_url="" if self.random.random() < 0.2 else f"https://exemple.invalid/inscription/{i}",
                participants=self.random.randint(50, 5000),
                edition=self.random.randint(1, 12),
            )
            writer.place(page, self.moment(day - datetime.timedelta(days=30)))
            chosen = (
                self.pick(tags, self.random.randint(1, 3)),
                self.pick(organisations, min(len(organisations), self.random.randint(1, 2))),
                self.pick(articles, min(len(articles), self.random.randint(0, 2))),
            )
            page.tags.set(chosen[0])
            page.organisers = chosen[1]
            page.related_articles = [EventRelatedArticle(article=a, sort_order=k) for k, a in enumerate(chosen[2])]
            pages.append(page)
            picks.append((page, chosen))
        writer.write(pages)
        tag_rows(EventPageTag, ((p, c[0]) for p, c in picks))
        m2m_rows(EventPage, "organisers", ((p, o) for p, c in picks for o in c[1]))
        EventRelatedArticle.objects.bulk_create(
            (EventRelatedArticle(page_id=p.pk, article_id=a.pk, sort_order=k) for p, c in picks for k, a in enumerate(c[2])),
            batch_size=BATCH,
        )  # fmt: skip
        return pages

    def startups(self, parent, n, tags, organisations):
        sectors = list(Sector.objects.filter(locale=self.locale)) or [
            Sector.objects.create(
                name=f"Secteur {t}", slug=f"{GENERATED_SLUG_PREFIX}secteur-{i}", locale=self.locale
            )
            for i, t in enumerate(TAGS[:8])
        ]
        cities = list(City.objects.filter(locale=self.locale))
        writer = Writer(parent, StartupPage)
        pages, picks = [], []
        for i in range(n):
            name = f"{self.pick(STARTUP_WORDS)}{self.pick(STARTUP_SUFFIXES)} {i + 1}"
            joined = self.when(years_back=8)
            page = StartupPage(
                title=f"{name}{GENERATED_MARK}",
                slug=self.slug("startup", StartupPage),
                pitch=self.fill("Une solution marocaine pour {topic}, née à {city}.")[:160],
                description=f"<p>{escape(self.paragraph(3))}</p>",
                city=self.pick(cities) if cities else None,
                founded_year=min(joined.year, self.today.year - self.random.randint(0, 6)),
                stage=self.pick([s.value for s in Stage]),
                team_size=self.pick([s.value for s in TeamSize]),
                website=f"https://exemple.invalid/{GENERATED_SLUG_PREFIX}{i}",
                member_since=joined,
                is_sample=True,
            )
            writer.place(page, self.moment(joined))
            chosen = (
                self.pick(tags, self.random.randint(0, 2)),
                self.pick(sectors, min(len(sectors), self.random.randint(1, 2))),
                self.pick(organisations, min(len(organisations), self.random.randint(0, 2))),
            )
            page.tags.set(chosen[0])
            page.sectors = chosen[1]
            page.organisations = chosen[2]
            pages.append(page)
            picks.append((page, chosen))
        writer.write(pages)
        tag_rows(StartupPageTag, ((p, c[0]) for p, c in picks))
        m2m_rows(StartupPage, "sectors", ((p, o) for p, c in picks for o in c[1]))
        m2m_rows(StartupPage, "organisations", ((p, o) for p, c in picks for o in c[2]))
        return pages


def generate(articles=0, events=0, startups=0, organisations=0, seed=0, force=False, log=lambda message: None):
    """Fill the French tree (built first if missing); see the module. Returns a Generated summary."""
    found = real_content()
    if found and not force:
        described = ", ".join(f"{count} {label}" for label, count in found.items())
        raise RealContentError(
            f"This database holds real content ({described}). Generated content is fake: "
            "use a scratch database, or pass --force to add it anyway."
        )
    started = time.perf_counter()
    if not HomePage.objects.filter(locale__language_code="fr").exists():
        log("No site tree yet: building it (setup_portal without the fixtures).")
        setup_site(log=log)
    home = HomePage.objects.get(locale__language_code="fr", depth=2)
    summary = Generated()
    generator = ContentGenerator(seed=seed)
    with transaction.atomic():
        tags = generator.tags()
        made_orgs = generator.organisations(organisations)
        partners = made_orgs or list(Organisation.objects.filter(locale=generator.locale)[:50])
        news = NewsIndexPage.objects.child_of(home).first()
        made_articles = generator.articles(news, articles, tags, partners) if articles else []
        made_events = (
            generator.events(EventIndexPage.objects.child_of(home).first(), events, tags, partners, made_articles)
            if events
            else []
        )
        made_startups = (
            generator.startups(StartupIndexPage.objects.child_of(home).first(), startups, tags, partners)
            if startups
            else []
        )
    log(f"Rows written in {time.perf_counter() - started:.1f} s; updating the search index…")

    indexing.update_search_index(
        [
            (ArticlePage, made_articles),
            (EventPage, made_events),
            (StartupPage, made_startups),
            (Organisation, made_orgs),
        ]
    )
    # Fresh planner statistics: a bulk load leaves PostgreSQL planning for empty tables.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # No page_published signal was sent: drop the cached pages and routes once.
    purge()
    summary.organisations = len(made_orgs)
    summary.articles = len(made_articles)
    summary.events = len(made_events)
    summary.startups = len(made_startups)
    summary.tags = len(tags)
    summary.seconds = time.perf_counter() - started
    return summary

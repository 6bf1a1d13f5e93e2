"""Cached pages and fragments that know what they show, dropped exactly when that changes (#8).

Every cached value (a whole anonymous page, a card, a listing, the header,
a route) is stored with the tags of what it was made from, each with the
tag's generation at the time:

- ``page:<pk>``: a page it loaded (the page itself, its ancestors, each card);
- ``obj:<label>:<pk>``: a record it loaded of the models pages show besides
  pages (organisations, sectors, cities, images, tags, navigation, settings);
- ``type:<label>``: "which pages or records of this kind exist, and in what
  order": every listing and count depends on the kinds it shows;
- ``text:<label>``: "what the pages of this kind say": search results;
- ``children:<path>`` and ``translations:<key>``: the sections under a page
  (menus) and a page's translations (language switcher);
- ``restrictions`` (private pages) and ``global`` (the site, bulk loads).

Reading a value checks its tags' generations (each tag read once per
request, and not at all while the bump clock has not moved since this
process read it); any tag bumped since means the value is recomputed.
Publishing a page bumps its ``page:`` tag, its parent's ``children:`` tag,
its ``translations:`` tag and its kind's ``text:`` tag (search); its kind's
``type:`` tag only when listings may change: a page type names the fields
its listings select, filter and sort by (``listed_by``), and a publish that
changes none of them, nor the page's place, language or live state, leaves
the listings that do not show it cached ("exact invalidation" below).
Unpublishing or deleting a page bumps all of these; a move or a new slug,
the same for every page below it, whose addresses changed. Saving or
deleting a record bumps its ``obj:`` and ``type:`` tags. So an edit of an
article drops its own page, the listings and cards that show it and search
results, and keeps the other listings, the figures, and every other article,
event, startup and organisation page cached.

How tags are found, so that none is forgotten:
- a model instance built from the database while a value is computed adds
  its ``page:``/``obj:`` tag (Django's post_init), cached or not;
- a listing declares the kinds it shows (``depends_on(Model)``, or the
  ``shows`` of portal.core.cache.values.cached_value and of the cached
  listings in portal.core.pagination, which add their queryset's model):
  a page kind stands for itself, a record kind pages show for itself, and
  a page's inline rows, tags and links for that page's kind (``kind_tags``);
- a cached value found in the cache passes its stored tags to the value
  being computed around it (a card inside a page);
- responses that are not HTML pages (feeds, calendars, CSV, sitemaps, the
  API) also depend on any page being published and on the kinds of every
  record they loaded (portal.core.cache.page_cache).

Races: a value is stored only if no tag was bumped anywhere (a clock key)
between the first cache read of the request and the store; a bump moves
the clock before the tags, and is made again when the transaction that
caused it commits, so a render that read the database before the commit
can never be stored as fresh; it moves the clock again after setting its
tags, so that no process keeps generations read in between. Generations
are random tokens, not counters: a generation evicted from the cache comes
back as a new token and drops what depended on it, in any process that had
not read it already, instead of matching an old one.
"""

import datetime
import functools
import hashlib
import os
import pickle
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import connection, transaction
from modelcluster.fields import ParentalKey
from wagtail.models import Page

from portal.core.cache import front

GENERATION_PREFIX = "portal:gen:"
CLOCK_KEY = "portal:gen-clock"
GLOBAL = "global"
RESTRICTIONS = "restrictions"
# A computed value never outlives this, whatever its tags say: old entries leave Redis.
DEFAULT_TIMEOUT = 24 * 60 * 60
MISS = object()

# The values being computed, innermost last; tags go to the innermost and
# move out to the enclosing one when it is done.
_collectors = ContextVar("portal_cache_collectors", default=())
# What one request has read of the shared cache (see RequestMemoMiddleware).
_request_memo = ContextVar("portal_request_memo", default=None)
# True while rendering what visitors must never get from a cache: a preview
# of unsaved or unpublished content, a revision shown to a moderator.
_bypass = ContextVar("portal_cache_bypass", default=False)


def request_memo():
    """A dict that lives as long as the current request, or None outside one."""
    return _request_memo.get()


class RequestMemoMiddleware:
    """Each tag's generation read once per request, whatever asks for it.

    A page checks dozens of tags (the page cache, the route, listings, the
    header, cards) and many are shared: read once, they also give the whole
    response one consistent view. A bump within the request (the admin
    publishing) updates the memo.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_memo.set({})
        # Wagtail renders previews and revisions through a "dummy" request run
        # through the whole middleware stack (Page.make_preview_request): what
        # it renders is a draft, so it neither reads nor fills any cache.
        bypass = _bypass.set(_bypass.get() or getattr(request, "is_dummy", False))
        try:
            return self.get_response(request)
        finally:
            _bypass.reset(bypass)
            _request_memo.reset(token)


def is_bypassed():
    """True while rendering a preview or a revision for the admin (see RequestMemoMiddleware)."""
    return _bypass.get()


# --- collecting what a value is made of -------------------------------------


class Collector(set):
    def __init__(self):
        super().__init__()
        # {instance tag: its kind's type tag}, to leave out what a kind's tag already covers (see prune).
        self.kinds = {}


def depends_on(*things):
    """The value being computed (if any) shows these: see tags_of()."""
    stack = _collectors.get()
    if stack:
        for thing in things:
            stack[-1].update(tags_of(thing))


def tags_of(thing):
    """The tags standing for a model (its listings), a page or record, or a tag given as is."""
    if isinstance(thing, str):
        return (thing,)
    if isinstance(thing, type):
        return kind_tags(thing)
    tag = instance_tag(thing)
    if tag is None:
        raise ValueError(f"{thing!r} is not saved: nothing can show it yet")
    return (tag,)


@functools.cache
def type_tag(model):
    return f"type:{model._meta.label_lower}"


def page_tag(pk):
    """What shows this page (its own page, its cards, the listings and menus it is in)."""
    return f"page:{pk}"


def children_tag(path):
    """The live pages right under the page at this tree path (menus, sections)."""
    return f"children:{path}"


def translations_tag(translation_key):
    """A page's translations (the language switcher)."""
    return f"translations:{translation_key}"


def children_of(page):
    """For depends_on() and `shows`: the live pages right under this one (a menu, a page's sections)."""
    return children_tag(page.path)


def translations_of(page):
    """For depends_on() and `shows`: the page's translations (the language switcher); a page or its translation_key."""
    return translations_tag(getattr(page, "translation_key", page))


def depends_on_text(*models):
    """The value being computed matches these models' pages on their text (search): any publish changes it."""
    depends_on(*models, *(text_tag(model) for model in models))


@contextmanager
def collecting():
    """Gathers the tags of what is loaded or declared inside (see the module's docstring)."""
    collector = Collector()
    outer = _collectors.get()
    token = _collectors.set((*outer, collector))
    try:
        yield collector
    finally:
        _collectors.reset(token)
        if outer:
            outer[-1].update(collector)
            outer[-1].kinds.update(collector.kinds)


def is_page_kind(model):
    return isinstance(model, type) and issubclass(model, Page) and model is not Page


@functools.cache
def kind_tags(model):
    """The type tags that a listing of `model` depends on.

    A page kind and a record kind pages show stand for themselves. Rows that
    change when a page is saved (its inline panels, tags and many-to-many
    links, and what is materialised on publish, such as mentions) stand for
    that page's kind. The generic page model stands for any page.
    """
    if model is Page or is_page_kind(model) or model in tracked_models():
        return (type_tag(model),)
    owners = [
        field.related_model
        for field in model._meta.fields
        if field.many_to_one and (isinstance(field, ParentalKey) or is_page_kind(field.related_model))
    ]
    if model._meta.auto_created:
        owners.append(model._meta.auto_created)
    tags = tuple(sorted({type_tag(owner) for owner in owners if owner in tracked_models() or is_page_kind(owner)}))
    if not tags:
        # Nothing would ever drop a listing of it: say so now, not with stale pages later.
        raise ValueError(
            f"{model._meta.label} is neither a page, a record pages show (PAGE_CACHE_INVALIDATING_MODELS) "
            "nor rows of a page: a cached listing cannot depend on it"
        )
    return tags


@functools.cache
def tag_prefix(model):
    """ "page:" or "obj:<label>:", once per class: post_init runs for every row a listing loads."""
    return "page:" if issubclass(model, Page) else f"obj:{model._meta.label_lower}:"


def instance_tag(instance):
    return None if instance.pk is None else f"{tag_prefix(type(instance))}{instance.pk}"


def _record_instance(sender, instance, **kwargs):
    stack = _collectors.get()
    if stack and instance.pk is not None:
        tag = f"{tag_prefix(sender)}{instance.pk}"
        stack[-1].add(tag)
        stack[-1].kinds[tag] = type_tag(sender)


def prune(tags, kinds):
    """tags without the record tags whose kind's tag is among them.

    Every bump of a record's own tag also bumps its kind's, so a value that
    lists the whole kind needs no tag per record. A page's publish bumps its
    kind only when listings may change (see exact invalidation below), so a
    listing keeps the tag of each page it shows.
    """
    return {tag for tag in tags if not (tag.startswith("obj:") and kinds.get(tag) in tags)}


def loaded_tags(obj, depth=2, _seen=None):
    """The tags of obj and of what came loaded with it (select_related, prefetch_related).

    depth=None follows every relation loaded, however deep (a page as the
    route keeps it: an event's organisers, the brand page's partners and
    their logos); each object once, as relations loaded both ways form cycles.
    """
    tags = set()
    if not hasattr(obj, "_meta") or getattr(obj, "pk", None) is None:
        return tags
    seen = set() if _seen is None else _seen
    if id(obj) in seen:
        return tags
    seen.add(id(obj))
    if isinstance(obj, Page) or type(obj) in tracked_models():
        tag = instance_tag(obj)
        tags.add(tag)
        # Its kind, as _record_instance notes it, so that prune() can leave it out.
        stack = _collectors.get()
        if stack:
            stack[-1].kinds[tag] = type_tag(type(obj))
    if depth == 0:
        return tags
    related = list(getattr(obj._state, "fields_cache", {}).values())
    for items in getattr(obj, "_prefetched_objects_cache", {}).values():
        related.extend(items)
    for item in related:
        if item is not None:
            tags |= loaded_tags(item, None if depth is None else depth - 1, seen)
    return tags


# --- generations -------------------------------------------------------------


def new_token():
    return os.urandom(8).hex()


def _memo_generations():
    memo = request_memo()
    return memo.setdefault("generations", {}) if memo is not None else {}


# The generations this process has read, good for as long as the clock reads
# the same: every bump moves the clock once before and once after it sets its
# tags, so a clock unchanged since these were read means none of them changed.
# A steady page then checks its tags without a cache round trip beyond the clock.
_process_generations = {"clock": MISS, "generations": {}}
PROCESS_GENERATIONS_MAX = 50_000


def _adopt_clock(memo, clock):
    """The request's clock; with it, what this process already knows of the generations under that clock."""
    global _process_generations
    memo["clock"] = clock
    if clock is None or "generations" in memo:
        return  # a bump in this request came first: its own view only
    shared = _process_generations
    if shared["clock"] != clock or len(shared["generations"]) > PROCESS_GENERATIONS_MAX:
        shared = _process_generations = {"clock": clock, "generations": {}}
    memo["generations"] = shared["generations"]


def current_generations(tags):
    """{tag: generation or None} for tags, from what is known under the clock or one cache read."""
    known = _memo_generations()
    wanted = [tag for tag in tags if tag not in known]
    if wanted:
        found = cache.get_many([GENERATION_PREFIX + tag for tag in wanted])
        for tag in wanted:
            generation = found.get(GENERATION_PREFIX + tag)
            if generation is not None:
                known[tag] = generation
    return {tag: known.get(tag) for tag in tags}


def start_clock():
    """The bump clock as the request (or this computation) first saw it: stores check it has not moved."""
    memo = request_memo()
    if memo is not None and "clock" in memo:
        return memo["clock"]
    clock = read_clock()
    if memo is not None:
        _adopt_clock(memo, clock)
    return clock


def read_clock():
    clock = cache.get(CLOCK_KEY)
    if clock is None:
        cache.add(CLOCK_KEY, int.from_bytes(os.urandom(4), "big"), timeout=None)
        clock = cache.get(CLOCK_KEY)
    return clock


def stamp(tags, clock):
    """{tag: generation} to store with a value, or None when a bump since `clock` makes it unsafe."""
    tags = sorted(set(tags) | {GLOBAL})
    keys = [GENERATION_PREFIX + tag for tag in tags]
    found = cache.get_many([*keys, CLOCK_KEY])
    if clock is None or found.get(CLOCK_KEY) != clock:
        return None
    generations = {}
    added = False
    for tag, key in zip(tags, keys, strict=True):
        generation = found.get(key)
        if generation is None:
            # A tag seen for the first time: whoever adds it first sets it for all.
            cache.add(key, new_token(), timeout=None)
            generation = cache.get(key)
            if generation is None:
                return None  # the cache is not answering: store nothing
            added = True
        generations[tag] = generation
    # A generation read after the check above may come from a bump made since;
    # bumps move the clock first, so the clock tells.
    if added and cache.get(CLOCK_KEY) != clock:
        return None
    _memo_generations().update(generations)
    return generations


def bump(*tags):
    """Drops every cached value made from what these tags stand for, in every process,
    and in the front caches (a ban queued, sent by the task worker once this commits)."""
    tags = set(tags)
    if not tags:
        return
    _bump(tags)
    front.request_ban(tags - {GLOBAL}, everything=GLOBAL in tags)
    if connection.in_atomic_block:
        # Again once the change is visible to others: a render that read the
        # database before the commit may have stored under the first bump.
        transaction.on_commit(lambda: _bump(tags))


def _bump(tags):
    # The clock first: a render that then sees a new generation also sees the
    # clock moved. And again after: a process that read the clock in between
    # may have read old generations, and must not keep them (_process_generations).
    _move_clock()
    tokens = {tag: new_token() for tag in tags}
    cache.set_many({GENERATION_PREFIX + tag: token for tag, token in tokens.items()}, timeout=None)
    _move_clock()
    memo = request_memo()
    if memo is not None:
        # A copy: the process's shared view stays what it read under the old clock.
        memo["generations"] = {**memo.get("generations", {}), **tokens}
        memo["clock"] = None  # nothing computed earlier in this request may be stored now


def _move_clock():
    try:
        cache.incr(CLOCK_KEY)
    except ValueError:  # no clock yet, evicted, or the cache is unavailable (see cache_backends)
        cache.set(CLOCK_KEY, int.from_bytes(os.urandom(4), "big"), timeout=None)


def bump_all():
    """Drops every cached page and fragment (after a bulk load that sent no signals)."""
    bump(GLOBAL)


# --- storing and reading ----------------------------------------------------


class LocalEntries:
    """The entries this process read or stored lately, kept pickled, up to a size.

    An entry is as good as its generations say, wherever it was found: the
    copy here is checked exactly like the one in the shared cache, so a page
    whose generations are all known under the clock (_process_generations)
    is read without any cache round trip and without unpickling the same
    value from the network again. Kept pickled, so that no caller can change
    what the next request gets.
    """

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.items = OrderedDict()  # key: (pickled entry, expires)
        self.size = 0
        self.lock = threading.Lock()

    def get_many(self, keys):
        now = time.time()
        found = {}
        with self.lock:
            for key in keys:
                item = self.items.get(key)
                if item is None:
                    continue
                if item[1] <= now:
                    self._drop(key)
                    continue
                self.items.move_to_end(key)
                found[key] = item[0]
        return {key: pickle.loads(data) for key, data in found.items()}  # noqa: S301 (our own bytes)

    def put_many(self, entries):
        now = time.time()
        for key, entry in entries.items():
            expires = entry.get("expires", 0)
            if expires <= now:
                continue
            data = pickle.dumps(entry, pickle.HIGHEST_PROTOCOL)
            if len(data) > self.max_bytes // 16:
                continue  # one huge value must not push out everything else
            with self.lock:
                self._drop(key)
                self.items[key] = (data, expires)
                self.size += len(data)
                while self.size > self.max_bytes:
                    self._drop(next(iter(self.items)))

    def _drop(self, key):
        item = self.items.pop(key, None)
        if item is not None:
            self.size -= len(item[0])

    def clear(self):
        with self.lock:
            self.items.clear()
            self.size = 0


def forget_process_state():
    """Forget what this process has read, as a process that has just started (for tests)."""
    global _process_generations
    _process_generations = {"clock": MISS, "generations": {}}
    local_entries().clear()


@functools.cache
def local_entries():
    from django.conf import settings

    return LocalEntries(settings.CACHE_LOCAL_BYTES)


def fetch(key):
    """The value stored under key if all it was made from is unchanged, else MISS."""
    return fetch_many([key]).get(key, MISS)


def fetch_many(keys):
    """{key: value} of the keys whose stored value is still valid.

    From this process's copies when their generations are still current,
    else from the shared cache (one round trip, plus one for generations not
    yet known under the clock).
    """
    keys = list(keys)
    if _bypass.get():
        return {}
    local = local_entries().get_many(keys)
    remote = {}
    memo = request_memo()
    if memo is not None and "clock" not in memo:
        # The request's first cache read (the page cache): the clock comes with it.
        found = cache.get_many([*(key for key in keys if key not in local), CLOCK_KEY])
        _adopt_clock(memo, found.pop(CLOCK_KEY) if CLOCK_KEY in found else read_clock())
        remote = found
    else:
        start_clock()
    valid = valid_values(local)
    missing = [key for key in keys if key not in valid and key not in remote]
    if missing:
        remote.update(cache.get_many(missing))
    fresh = valid_values({key: entry for key, entry in remote.items() if key not in valid})
    local_entries().put_many({key: remote[key] for key in fresh})
    valid.update(fresh)
    return valid


def valid_values(entries):
    # Anything else under our keys (a foreign or corrupt value) is a miss.
    entries = {
        key: entry
        for key, entry in entries.items()
        if isinstance(entry, dict) and isinstance(entry.get("deps"), dict) and "value" in entry
    }
    if not entries:
        return {}
    generations = current_generations({tag for entry in entries.values() for tag in entry["deps"]})
    valid = {}
    stack = _collectors.get()
    for key, entry in entries.items():
        if all(generations[tag] == generation for tag, generation in entry["deps"].items()):
            if stack:
                stack[-1].update(entry["deps"])
                stack[-1].kinds.update(entry.get("kinds", {}))
            valid[key] = entry["value"]
    return valid


def entry_for(value, tags, generations, kinds, timeout):
    deps = {tag: generations[tag] for tag in {*tags, GLOBAL}}
    return {
        "deps": deps,
        # The kinds go along, so that a value computed around this one can leave out what they cover.
        "kinds": {tag: kinds[tag] for tag in deps if tag in kinds},
        "value": value,
        # For the copies processes keep (LocalEntries): the shared cache's own expiry is not readable.
        "expires": time.time() + (DEFAULT_TIMEOUT if timeout is None else timeout),
    }


def store(key, value, tags, timeout=DEFAULT_TIMEOUT, clock=MISS):
    """Keeps value under key with the generations of tags; False if a bump since the clock forbade it.

    `tags` may be a collector: what its kinds cover is left out (prune).
    """
    if _bypass.get():
        return False
    kinds = getattr(tags, "kinds", {})
    tags = prune(tags, kinds)
    generations = stamp(tags, start_clock() if clock is MISS else clock)
    if generations is None:
        return False
    entry = entry_for(value, tags, generations, kinds, timeout)
    cache.set(key, entry, timeout=timeout)
    local_entries().put_many({key: entry})
    return True


def store_many(values, tags_of, timeout=DEFAULT_TIMEOUT):
    """store() for several values at once: {key: value}, {key: tags or collector}."""
    if _bypass.get():
        return
    clock = start_clock()
    kinds_of = {key: getattr(tags, "kinds", {}) for key, tags in tags_of.items()}
    tags_of = {key: prune(tags, kinds_of[key]) for key, tags in tags_of.items()}
    generations = stamp({tag for tags in tags_of.values() for tag in tags}, clock)
    if generations is None:
        return
    entries = {
        key: entry_for(value, tags_of[key], generations, kinds_of[key], timeout) for key, value in values.items()
    }
    cache.set_many(entries, timeout=timeout)
    local_entries().put_many(entries)


def cached(key, compute, tags=(), timeout=DEFAULT_TIMEOUT, keep=None):
    """compute()'s result, from the cache while nothing it was made of (or `tags`) changed.

    keep(value) false: the value is returned but not stored (what a visitor
    can ask for with made-up names, such as an unknown tag, stays out).
    """
    value = fetch(key)
    if value is not MISS:
        return value
    clock = start_clock()
    with collecting() as collector:
        depends_on(*tags)
        value = compute()
    if keep is None or keep(value):
        store(key, value, collector, timeout=timeout, clock=clock)
    return value


# --- what bumps what ----------------------------------------------------------


@functools.cache
def tracked_models():
    """The models pages show besides pages (settings.PAGE_CACHE_INVALIDATING_MODELS)."""
    from django.apps import apps
    from django.conf import settings

    return frozenset(apps.get_model(label) for label in settings.PAGE_CACHE_INVALIDATING_MODELS)


def page_tags(pk, content_type_id, translation_key, path):
    from django.contrib.contenttypes.models import ContentType

    # type:wagtailcore.page: any page at all (what feeds and sitemaps depend on, see page_cache).
    tags = {page_tag(pk), translations_tag(translation_key), children_tag(path[: -Page.steplen]), type_tag(Page)}
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is not None:
        # A page kind built on another (multi-table) shows in that kind's listings too.
        tags |= {type_tag(kind) for kind in model._meta.get_parent_list() if issubclass(kind, Page)}
        tags.add(type_tag(model))
    return tags


def subtree_tags(page):
    """The tags of a page and of every page below it: their addresses change with its slug or place."""
    from wagtail.models import PageViewRestriction

    tags = set()
    rows = Page.objects.filter(path__startswith=page.path).values_list(
        "pk", "content_type_id", "translation_key", "path"
    )
    for row in rows:
        tags |= page_tags(*row)
    if PageViewRestriction.objects.exists():
        tags.add(RESTRICTIONS)  # restricted paths moved with it
    return tags


# --- exact invalidation of pages ----------------------------------------------
#
# A page's own tag drops what shows it (its page, the cards and listings it is
# in, the menus naming it). Its kind's tag drops every listing of that kind:
# needed only when the page may enter, leave or move within a listing. A page
# type says what its listings select, filter and sort it by (`listed_by`, a
# tuple of field names); a save that changes none of these, nor the page's
# place, language or live state, bumps only the page's own tags. A type that
# does not say bumps its kind on every publish. Search results, which match on
# any text, depend on the kind's "text:" tag, bumped on every publish.

# Columns a save may write without changing what visitors see: a draft saved
# over a live page (save_revision), a lock.
BOOKKEEPING_COLUMNS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
        "wagtail_admin_comments",
    }
)


@functools.cache
def text_tag(model):
    return f"text:{model._meta.label_lower}"


def listing_signature(page):
    """A digest of what listings select, filter and sort the page by; None if its type does not say."""
    fields = getattr(type(page), "listed_by", None)
    if fields is None:
        return None
    values = [page.live, page.path, page.locale_id, page.first_published_at]
    for name in fields:
        value = getattr(page, name)
        if hasattr(value, "all"):
            # Tags and many-to-many links: their ids (held in memory by the revision being published).
            value = sorted(item.pk for item in value.all())
        values.append(value)
    # The same instant reads back from a revision in the portal's time zone, from the database in UTC.
    values = [v.astimezone(datetime.UTC) if isinstance(v, datetime.datetime) and v.tzinfo else v for v in values]
    return hashlib.sha256(repr(values).encode()).hexdigest()


def is_bookkeeping(update_fields):
    return update_fields is not None and set(update_fields) <= BOOKKEEPING_COLUMNS


def on_page_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a page's row is written: what listings knew of it, read from the database."""
    if raw or instance.pk is None or is_bookkeeping(update_fields) or getattr(sender, "listed_by", None) is None:
        return
    stored = sender.objects.filter(pk=instance.pk).first()
    instance._portal_listed_before = None if stored is None else listing_signature(stored)


def listing_changed(page):
    """Whether this save may change a listing the page is (or was) in: see the section's comment."""
    before = page.__dict__.pop("_portal_listed_before", None)
    return before is None or before != listing_signature(page)


def published_page_tags(page, changed):
    """The tags a publish (or a save of live content) bumps: see the section's comment."""
    tags = page_tags(page.pk, page.content_type_id, page.translation_key, page.path)
    kinds = {tag for tag in tags if tag.startswith("type:")}
    tags |= {tag.replace("type:", "text:", 1) for tag in kinds}
    if not changed:
        # "Any page at all" stays: feeds, sitemaps and the API depend on it (page_cache).
        tags -= kinds - {type_tag(Page)}
    return tags


def on_page_changed(sender, instance, **kwargs):
    """Unpublished, deleted: it leaves every listing."""
    bump(*published_page_tags(instance, changed=True))


def on_page_published(sender, instance, **kwargs):
    # Publishing saves the page first: on_live_page_saved has bumped what it shows,
    # comparing it with its previous row. Only a publish that saved no live row gets here.
    if not instance.__dict__.pop("_portal_bumped_on_save", False):
        bump(*published_page_tags(instance, changed=True))


def on_live_page_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    # A live page saved (created live by code, a fixture, the save inside a
    # publish): what shows it may differ.
    if raw or not isinstance(instance, Page) or not instance.live or not instance.pk:
        return
    if is_bookkeeping(update_fields):
        return  # a draft saved over the live page: visitors still see the live content
    bump(*published_page_tags(instance, listing_changed(instance)))
    instance._portal_bumped_on_save = True


def on_page_moved(sender, instance, parent_page_before=None, parent_page_after=None, **kwargs):
    tags = subtree_tags(instance)
    for parent in (parent_page_before, parent_page_after):
        if parent is not None:
            tags.add(children_tag(parent.path))
    bump(*tags)


def on_slug_changed(sender, instance, **kwargs):
    bump(*subtree_tags(instance))


def on_record_changed(sender, instance, created=False, raw=False, **kwargs):
    from wagtail.contrib.settings.models import BaseSiteSetting

    if raw:
        return
    if created and isinstance(instance, BaseSiteSetting):
        # for_site() creates an empty row on first use, while building the
        # header: that changes nothing shown, and bumping then would never let it cache.
        return
    bump(type_tag(type(instance)), instance_tag(instance) or type_tag(type(instance)))


def on_everything_changed(sender, raw=False, **kwargs):
    if not raw:
        bump_all()


def on_restrictions_changed(sender, raw=False, **kwargs):
    if not raw:
        bump(RESTRICTIONS)


def connect():
    """Signals: bumps on change, tags recorded on load (PortalConfig.ready)."""
    from django.db.models.signals import post_delete, post_init, post_save, pre_save
    from wagtail.models import Locale, Page, PageViewRestriction, Site, get_page_models
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    page_published.connect(on_page_published, dispatch_uid="cache-tags-published")
    page_unpublished.connect(on_page_changed, dispatch_uid="cache-tags-unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="cache-tags-moved")
    page_slug_changed.connect(on_slug_changed, dispatch_uid="cache-tags-slug")
    post_delete.connect(on_page_changed, sender=Page, dispatch_uid="cache-tags-page-delete")
    post_save.connect(on_live_page_saved, dispatch_uid="cache-tags-live-page-save")
    for model in get_page_models():
        if getattr(model, "listed_by", None) is not None:
            label = model._meta.label_lower
            pre_save.connect(on_page_saving, sender=model, dispatch_uid=f"cache-tags-saving-{label}")
    for model in (Site, Locale):
        label = model._meta.label_lower
        post_save.connect(on_everything_changed, sender=model, dispatch_uid=f"cache-tags-save-{label}")
        post_delete.connect(on_everything_changed, sender=model, dispatch_uid=f"cache-tags-delete-{label}")
    post_save.connect(on_restrictions_changed, sender=PageViewRestriction, dispatch_uid="cache-tags-restriction")
    post_delete.connect(
        on_restrictions_changed, sender=PageViewRestriction, dispatch_uid="cache-tags-restriction-delete"
    )
    for model in tracked_models():
        label = model._meta.label_lower
        post_save.connect(on_record_changed, sender=model, dispatch_uid=f"cache-tags-save-{label}")
        post_delete.connect(on_record_changed, sender=model, dispatch_uid=f"cache-tags-delete-{label}")
    # Only for the models pages show: other models pay nothing on load.
    for model in {*get_page_models(), Page, *tracked_models()}:
        post_init.connect(
            _record_instance, sender=model, dispatch_uid=f"cache-tags-load-{model._meta.label_lower}"
        )


# --- the door for apps -----------------------------------------------------


def invalidate(*things):
    """Drops every cached value that shows these, in every process.

    A model: every listing of its kind. A page: what a publish of it drops
    (its page, cards, listings, menus, search). A record: what shows it and
    its kind's listings. For changes made without Django's signals (a
    queryset update, raw SQL); saves and Wagtail's actions invalidate by themselves.
    """
    tags = set()
    for thing in things:
        if isinstance(thing, Page):
            tags |= published_page_tags(thing, changed=True)
        elif isinstance(thing, str | type):
            tags.update(tags_of(thing))
        else:
            tags.update((*tags_of(thing), *kind_tags(type(thing))))
    bump(*tags)


def purge():
    """Drops every cached page and fragment (a restore, a bulk load, an operator's `purge_caches`)."""
    bump_all()

"""The anonymous page cache: readers without cookies share one rendering of a page.

`cache_public_page` wraps the public views (front, article, category, author, archive)
in their urls. Rules, in one place:

* Only anonymous GET/HEAD requests are served from or stored in the cache: a request
  with any cookie but the neutral ones (csrftoken; see PAGE_CACHE_NEUTRAL_COOKIES), that
  is, with a session, pending comments (`comments_pending`), saved comment details
  (`comment_author`) or messages, is rendered for its visitor alone; so is a query
  string with anything but `page`/`cpage`.
* Only plain 200 responses are stored, and never one that sets a cookie, varies on
  Cookie, changed the session or is marked private by its view.
* A page is stored split at its CSRF token (and at the hidden fields registered with
  `refresh_hidden_field`), and each visitor served from the cache gets a fresh token of
  their own (the csrftoken cookie is set as usual) and fresh field values.
* Every stored page carries the content generation it was rendered from, replaced
  whenever anything readers can see changes (any article or comment row, see
  `pages_changed`): a page of an older generation is never served, the next request
  renders afresh. The generation is read with the page, in one cache round trip. Pages
  also expire when a scheduled article goes live, and after PAGE_CACHE_SECONDS at the
  latest.

The cache is Django's default cache: with REDIS_URL every worker and app server shares
the pages and the generation, so an approval shows everywhere at once.
"""

import contextlib
import functools
import hashlib
import html
import logging
import math
import re
import threading
import time
import uuid
from collections import OrderedDict
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.cache import (
    add_never_cache_headers,
    has_vary_header,
    patch_cache_control,
    patch_vary_headers,
)

logger = logging.getLogger(__name__)

GENERATION_KEY = "page_cache:generation"
GO_LIVE_KEY = "page_cache:go_live"
STATUS_HEADER = "X-Page-Cache"
PAGE_QUERY_PARAMETERS = frozenset({"page", "cpage"})
# The apps whose rows readers see on public pages.
CONTENT_APPS = frozenset({"articles", "comments"})

# What {% csrf_token %} renders (django.template.defaulttags.CsrfTokenNode).
_CSRF_INPUT = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(">)')

# Hidden form fields whose value must be fresh for each page view, not the value the
# page had when it was cached: field name -> function(stored value) -> fresh value.
_REFRESHED_FIELDS = {}


def refresh_hidden_field(name):
    """Register a function that renews a hidden field's value each time a page is served.

    For values that must say when the page was shown, such as a form's signed timestamp.
    The stored value is no secret (it was in the page for everyone to see); the function
    gets it and returns the value for this page view.
    """

    def register(renew):
        _REFRESHED_FIELDS[name] = renew
        return renew

    return register


def split_at_holes(body):
    """The page as literal byte runs with the per-visitor values between them.

    Stored this way, a page is served by joining the runs with fresh values, without
    searching a page of a hundred kilobytes on every hit. Returns (parts, csrf_holes): parts
    alternate bytes and holes; a hole is None for the CSRF token or (field name, stored
    value) for a refreshed field.
    """
    parts, csrf_holes, start = [], 0, 0
    for match in _CSRF_INPUT.finditer(body):
        parts += [body[start : match.end(1)], None]
        csrf_holes += 1
        start = match.start(2)
    parts.append(body[start:])
    if not _REFRESHED_FIELDS:
        return parts, csrf_holes
    field = re.compile(
        rb'(<input type="hidden" name="('
        + b"|".join(re.escape(name.encode()) for name in _REFRESHED_FIELDS)
        + rb')" value=")([^"]*)(")'
    )
    split = []
    for part in parts:
        if part is None:
            split.append(None)
            continue
        start = 0
        for match in field.finditer(part):
            value = html.unescape(match[3].decode())
            split += [part[start : match.end(1)], (match[2].decode(), value)]
            start = match.start(4)
        split.append(part[start:])
    return split, csrf_holes


def fill_holes(request, parts):
    """What split_at_holes() split, for this view: this visitor's CSRF token (their
    csrftoken cookie is set as for any form) and freshly renewed field values."""
    token = get_token(request).encode() if None in parts else None
    return _joined(parts, token)


def _joined(parts, csrf_token):
    """The page for this view: each hole filled with this visitor's fresh value."""
    pieces = []
    for part in parts:
        if part is None:
            pieces.append(csrf_token)
        elif isinstance(part, tuple):
            name, stored = part
            pieces.append(html.escape(_REFRESHED_FIELDS[name](stored)).encode())
        else:
            pieces.append(part)
    return b"".join(pieces)


def current_generation():
    """The content generation every stored page (and comment list) is checked against.

    A fresh random value (never a counter restarting at 1) when the cache has lost it, so
    pages stored under an older generation can never be served again.
    """
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY) or uuid.uuid4().hex
    return generation


def _new_generation():
    _reading.generation = None
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


class _Reading(threading.local):
    """The generation a GET or HEAD request has read, while it is served.

    A page made of shared parts (comment list, form, section navigation) then reads the
    generation once rather than once per part: each read is a cache round trip (with
    REDIS_URL, a network one). A request reading content changes none, and one taking a
    new generation itself forgets what it read (`_new_generation`).
    """

    active = False
    generation = None


_reading = _Reading()


@contextlib.contextmanager
def generation_read_once():
    """Inside, `get_current` reads the shared generation at most once (see _Reading)."""
    _reading.active, _reading.generation = True, None
    try:
        yield
    finally:
        _reading.active, _reading.generation = False, None


def _read_generation():
    """The generation already read by this request, or None."""
    return _reading.generation if _reading.active else None


def _remember_generation(generation):
    if _reading.active:
        _reading.generation = generation


class _LocalCopies:
    """The values this process last read or stored, most recently used last.

    Every use is checked against the shared generation (and the value's own expiry), so
    a copy is only ever as fresh as the shared cache: a hit reads the few bytes of the
    generation instead of a whole page (with CACHE_DIR, also unpickled and decompressed).
    """

    def __init__(self, size):
        self.size = size
        self._entries = OrderedDict()
        self._lock = threading.Lock()  # threaded workers and runserver share it

    def get(self, key):
        with self._lock:
            stored = self._entries.get(key)
            if stored is not None:
                self._entries.move_to_end(key)
            return stored

    def put(self, key, stored):
        with self._lock:
            self._entries[key] = stored
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


# Pages, shared comment lists and forms of about 100 KB at most: a few MB per process.
_local_copies = _LocalCopies(size=64)


def get_current(key):
    """(value, generation): what `set_current` stored under `key` if it was stored under
    the content generation still current (else None), and that generation.

    One cache round trip at most: for the generation alone when this process holds a copy
    of the value, for both together when it does not; within `generation_read_once`, none
    for the generation after the first.
    """
    local = _local_copies.get(key)
    generation = _read_generation()
    if local is not None:
        if generation is None:
            generation = cache.get(GENERATION_KEY) or current_generation()
            _remember_generation(generation)
        if local[0] == generation and time.time() < local[1]:
            return local[2], generation
        stored = cache.get(shared_key(key))
    elif generation is not None:
        stored = cache.get(shared_key(key))
    else:
        found = cache.get_many([GENERATION_KEY, shared_key(key)])
        generation = found.get(GENERATION_KEY) or current_generation()
        _remember_generation(generation)
        stored = found.get(shared_key(key))
    if stored is None or stored[0] != generation:
        return None, generation
    _local_copies.put(key, stored)
    return stored[2], generation


def set_current(key, value, generation, timeout):
    """Store `value`, rendered from the content as it was at `generation`.

    `generation` must be the one read before the value was made: if the content changed
    meanwhile, the value is never served.
    """
    stored = (generation, time.time() + timeout, value)
    cache.set(shared_key(key), stored, timeout)
    _local_copies.put(key, stored)


def shared_key(key):
    """Where `key`'s value is in the shared cache. Stored as (generation, expiry, value)
    since the per-process copies came; the suffix keeps servers of an earlier release,
    which stored (generation, value), from reading it (or it from reading theirs) while a
    release rolls out across app servers."""
    return f"{key}:v2"


def pages_changed():
    """Something readers see has changed: no page stored before now is served again.

    Called by the content signals below (and `comment_status_changed`, which bulk status
    changes send), and explicitly by bulk changes that send no signal. A new generation
    is taken at once and again when the surrounding transaction commits, so a page
    rendered by another worker from the not yet committed state is not kept either.
    """
    if _deferred_changes.depth:
        _deferred_changes.pages = True
        return
    _new_generation()
    transaction.on_commit(_new_generation)


class _DeferredChanges(threading.local):
    depth = 0
    pages = False
    go_live_times = False


_deferred_changes = _DeferredChanges()


@contextlib.contextmanager
def changes_deferred():
    """Inside, saved content takes one new generation at the end instead of one (and a
    query for the go-live times) per row: for bulk writers such as the WordPress import,
    which saves thousands of rows in one transaction. Nested blocks end with the outermost.
    """
    deferred = _deferred_changes
    if deferred.depth == 0:
        deferred.pages = deferred.go_live_times = False
    deferred.depth += 1
    try:
        yield
    finally:
        deferred.depth -= 1
        # Even after an error: rows saved outside a transaction stay saved. (Inside one
        # that rolls back, the extra generation only costs a re-render.)
        if deferred.depth == 0 and deferred.pages:
            pages_changed()
        if deferred.depth == 0 and deferred.go_live_times:
            # Read once the rows are committed; never, if they are rolled back.
            transaction.on_commit(_remember_go_live_times)


def _remember_go_live_times():
    """Keep the upcoming publication times, so cached lists expire when one goes live."""
    if _deferred_changes.depth:
        _deferred_changes.go_live_times = True
        return
    from articles.models import Article

    upcoming = Article.objects.scheduled().order_by("published_at")
    times = [moment.timestamp() for moment in upcoming.values_list("published_at", flat=True)[:50]]
    cache.set(GO_LIVE_KEY, times, timeout=None)


def _page_timeout():
    timeout = settings.PAGE_CACHE_SECONDS
    now = time.time()
    upcoming = [moment for moment in cache.get(GO_LIVE_KEY) or () if moment > now]
    if upcoming:
        timeout = min(timeout, max(1, math.ceil(upcoming[0] - now)))
    return timeout


def _content_saved(sender, instance, created=False, **kwargs):
    if sender._meta.app_label not in CONTENT_APPS:
        return
    from comments.models import Comment

    # A new comment that readers cannot see yet changes no public page; without this,
    # every comment posted would empty the cache for everyone.
    if sender is Comment and created and not instance.is_approved:
        return
    pages_changed()
    if sender._meta.model_name == "article":
        _remember_go_live_times()


def _content_deleted(sender, instance, **kwargs):
    if sender._meta.app_label not in CONTENT_APPS:
        return
    pages_changed()
    if sender._meta.model_name == "article":
        _remember_go_live_times()


def _content_relations_changed(sender, action, **kwargs):
    if sender._meta.app_label in CONTENT_APPS and action.startswith("post_"):
        pages_changed()


def _comment_statuses_changed(sender, **kwargs):
    pages_changed()


def _release_migrated(sender, **kwargs):
    """`migrate` runs once per release: nothing the previous release's code rendered (pages,
    shared comment lists and forms, whose fields may have changed) is served by this one."""
    if sender.label not in CONTENT_APPS:
        return
    try:
        _new_generation()
    except Exception:
        # A cache that is down must not fail the migration; what it held expires anyway.
        logger.warning(
            "Could not take a new page cache generation: pages cached before this release "
            "are served until they expire (PAGE_CACHE_SECONDS).",
            exc_info=True,
        )


def connect_invalidation_signals():
    from comments.signals import comment_status_changed

    post_save.connect(_content_saved, dispatch_uid="page_cache_saved")
    post_delete.connect(_content_deleted, dispatch_uid="page_cache_deleted")
    m2m_changed.connect(_content_relations_changed, dispatch_uid="page_cache_m2m")
    # change_status() moves comments with one UPDATE, which sends no model signal.
    comment_status_changed.connect(_comment_statuses_changed, dispatch_uid="page_cache_status")
    post_migrate.connect(_release_migrated, dispatch_uid="page_cache_release")


def _is_personal(request):
    """Whether the page may show this visitor something of their own."""
    neutral = set(settings.PAGE_CACHE_NEUTRAL_COOKIES) | {settings.CSRF_COOKIE_NAME}
    if any(name not in neutral for name in request.COOKIES):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _page_key(request):
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page_cache:page:{digest}"


def _storable_entry(request, response):
    """The cache entry for this response (its CSRF token punched out), or None if it must
    not be stored."""
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return None
    if response.cookies or has_vary_header(response, "Cookie"):
        return None
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return None
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return None
    parts, csrf_holes = split_at_holes(response.content)
    # The view asked for a token: if it is not in a form we can find, it is somewhere we
    # cannot replace, and this page belongs to this visitor alone.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and not csrf_holes:
        return None
    return {"parts": parts, "has_token": bool(csrf_holes), "content_type": response["Content-Type"]}


def _for_everyone(response):
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    # A visitor with cookies may be shown their own version of the same address.
    patch_vary_headers(response, ["Cookie"])


def _for_this_visitor(response):
    patch_cache_control(response, private=True, max_age=0, must_revalidate=True)


def _serve(request, entry):
    token = get_token(request).encode() if entry["has_token"] else None
    response = HttpResponse(_joined(entry["parts"], token), content_type=entry["content_type"])
    if entry["has_token"]:
        _for_this_visitor(response)
    else:
        _for_everyone(response)
    return response


def _lookup_key(request):
    """The key this request's page would be stored under, or None if it is not shared."""
    if request.method not in ("GET", "HEAD") or _is_personal(request):
        return None
    if not PAGE_QUERY_PARAMETERS.issuperset(request.GET):
        return None
    return _page_key(request)


def _look_up(request, key):
    """The response for a stored page (None if there is none) and the current generation."""
    entry, generation = get_current(key)
    if entry is None:
        return None, generation
    response = _serve(request, entry)
    response[STATUS_HEADER] = "hit"
    return response, generation


class PageCacheMiddleware:
    """Serves stored pages early in the middleware stack; the views store them.

    A hit needs nothing the later middleware adds (messages, the user, legacy redirects)
    nor the URL resolver: placed right after CsrfViewMiddleware, the visitor still gets
    their csrftoken cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self._respond(request)
        with generation_read_once():
            return self._respond(request)

    def _respond(self, request):
        key = _lookup_key(request)
        if key is not None:
            response, generation = _look_up(request, key)
            if response is not None:
                return response
            # The view's cache_public_page need not look again; it stores under this key.
            request._page_cache_lookup = (key, generation)
        return self.get_response(request)


def cache_public_page(view):
    """Serve anonymous readers from the shared page cache (see the module docstring)."""

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or _is_personal(request):
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            response[STATUS_HEADER] = "bypass"
            return response
        if not PAGE_QUERY_PARAMETERS.issuperset(request.GET):
            response = view(request, *args, **kwargs)
            _for_this_visitor(response)
            response[STATUS_HEADER] = "bypass"
            return response

        if hasattr(request, "_page_cache_lookup"):
            key, generation = request._page_cache_lookup
        else:
            key = _lookup_key(request)
            response, generation = _look_up(request, key)
            if response is not None:
                return response

        response = view(request, *args, **kwargs)
        if getattr(response, "is_rendered", True) is False:
            response.render()
        entry = _storable_entry(request, response)
        if entry is None:
            _for_this_visitor(response)
            response[STATUS_HEADER] = "bypass"
            return response
        set_current(key, entry, generation, _page_timeout())
        if entry["has_token"]:
            _for_this_visitor(response)
        else:
            _for_everyone(response)
        response[STATUS_HEADER] = "miss"
        return response

    return cached_view


class AdminEditsMiddleware:
    """Staff changes made in the admin reach readers at once, however they were made.

    Model signals cover saves and deletes; a bulk action written with `QuerySet.update()`
    sends none. Admin POSTs are rare, so every one that succeeds takes a new generation.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method == "POST"
            and response.status_code < 400
            and request.path.startswith(reverse("admin:index"))
            and request.user.is_staff
        ):
            pages_changed()
        return response

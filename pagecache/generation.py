"""The content generation: the one value every cached page and shared fragment is kept under.

Whenever anything readers can see changes, the content apps call `content_changed()` and a
new random generation replaces the old one; nothing stored under an older generation is
served again. The generation also lives PAGE_CACHE_SECONDS at the most, and no longer than
until the next scheduled change (an article going live, see `schedule_changes`), so that
changes nobody announces still reach readers in time.

The cache is Django's default cache: with REDIS_URL every worker and app server shares the
generation, so an approval shows everywhere at once.
"""

import contextlib
import logging
import math
import threading
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

GENERATION_KEY = "page_cache:generation"
SCHEDULED_CHANGES_KEY = "page_cache:scheduled_changes"


class _Reading(threading.local):
    """The generation the request being served has read.

    A page made of several shared fragments then reads the shared generation once rather
    than once per fragment: each read is a cache round trip (with REDIS_URL, a network one).
    """

    active = False
    generation = None


_reading = _Reading()


@contextlib.contextmanager
def read_once():
    """Inside, `current_generation()` reads the shared generation at most once.

    For serving one GET or HEAD request: reading content changes none, and a change made
    meanwhile (`content_changed`) makes the next call read it afresh.
    """
    _reading.active, _reading.generation = True, None
    try:
        yield
    finally:
        _reading.active, _reading.generation = False, None


class _OwedGeneration:
    """A new generation this process took while the cache kept nothing (it was down).

    Should the cache come back with what it held before (a network fault rather than a
    restart), its pages predate the change: the new generation is written before anything
    is read from it again. Shared by the threads of the process.
    """

    owed = False


_owed = _OwedGeneration()


def current_generation():
    """The generation that values stored now belong to, and that stored values must match;
    None when the cache keeps nothing (it is down): then nothing is served from it or
    stored in it, and every page is rendered afresh.

    A fresh random value (never a counter restarting at 1) when the cache has none, so that
    values stored under an older generation can never be served again.
    """
    if _reading.active and _reading.generation is not None:
        return _reading.generation
    if _owed.owed and not _new_generation():
        return None
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=_generation_lifetime())
        generation = cache.get(GENERATION_KEY)
    if _reading.active:
        _reading.generation = generation
    return generation


def _new_generation():
    """Take a new generation; whether the cache kept it (else it is owed, see above)."""
    _reading.generation = None
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=_generation_lifetime())
    # Another process may have taken a newer one meanwhile: as good, it is after the change.
    _owed.owed = cache.get(GENERATION_KEY) is None
    return not _owed.owed


def _generation_lifetime():
    """Seconds until the generation must end: PAGE_CACHE_SECONDS, or sooner if a scheduled
    change comes first."""
    lifetime = settings.PAGE_CACHE_SECONDS
    upcoming = seconds_until_scheduled_change()
    return lifetime if upcoming is None else min(lifetime, upcoming)


def seconds_until_scheduled_change():
    """Whole seconds (at least 1) until the next change announced by `schedule_changes`."""
    now = time.time()
    upcoming = [moment for moment in cache.get(SCHEDULED_CHANGES_KEY) or () if moment > now]
    return max(1, math.ceil(min(upcoming) - now)) if upcoming else None


def schedule_changes(moments):
    """Content changes by itself at these moments (timestamps), such as a scheduled article
    going live: the generation current then ends then. Replaces the moments given before."""
    cache.set(SCHEDULED_CHANGES_KEY, sorted(moments), timeout=None)
    # The generation in use was given its lifetime before these moments were known.
    _new_generation()


class _DeferredChanges(threading.local):
    depth = 0
    content_changed = False
    callbacks = None


_deferred = _DeferredChanges()


def content_changed():
    """Something readers see has changed: nothing stored before now is served again.

    A new generation is taken at once and again when the surrounding transaction commits,
    so that a page another worker renders from the not yet committed state is not kept
    either. Inside `changes_deferred()`, once when its outermost block ends.
    """
    if _deferred.depth:
        _deferred.content_changed = True
        return
    _new_generation()
    transaction.on_commit(_new_generation)


def after_changes(callback):
    """Run `callback` now; inside `changes_deferred()`, once (however often it is asked for)
    when the outermost block ends, after its transaction commits."""
    if _deferred.depth:
        _deferred.callbacks[callback] = None
        return
    callback()


@contextlib.contextmanager
def changes_deferred():
    """Inside, announced changes take one new generation at the end, and callbacks given to
    `after_changes` run once then: for bulk writers such as the WordPress import, which
    saves thousands of rows in one transaction. Nested blocks end with the outermost.
    """
    if _deferred.depth == 0:
        _deferred.content_changed, _deferred.callbacks = False, {}
    _deferred.depth += 1
    try:
        yield
    finally:
        _deferred.depth -= 1
        if _deferred.depth == 0:
            callbacks, _deferred.callbacks = _deferred.callbacks, None
            # Even after an error: rows saved outside a transaction stay saved. (Inside one
            # that rolls back, the extra generation only costs a re-render.)
            if _deferred.content_changed:
                content_changed()
            for callback in callbacks:
                # Once the rows are committed; never, if they are rolled back.
                transaction.on_commit(callback)


def new_release(**kwargs):
    """A post_migrate receiver: `migrate` runs once per release, and nothing the previous
    release rendered (whose templates and fields may differ) is served by this one."""
    try:
        _new_generation()
    except Exception:
        # A cache that is down must not fail the migration; what it held expires anyway.
        logger.warning(
            "Could not take a new page cache generation: pages cached before this release "
            "are served until they expire (PAGE_CACHE_SECONDS).",
            exc_info=True,
        )

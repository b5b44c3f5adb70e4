"""Shared fragments: a value rendered once per content generation and shared by every
process, the way `cache.get_or_set` shares a value.

    html = shared(f"comments:list:{article.pk}", lambda: render_to_string(...))

A page of many small values (a listing's teasers) asks for them together, in one round
trip, and renders those not stored yet together:

    teasers = shared_many(keys, lambda missing: {key: render_teaser(key) for key in missing})

Callers never see the generation: values are stored under it (as the cache key's version),
so a stored value never changes and a value of an older generation is never found. Each
process also keeps a copy of the values it last used, so a hit costs one short read of the
generation rather than a whole value (with CACHE_DIR, also unpickled and decompressed).
"""

import threading
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache

from .generation import current_generation


class _LocalCopies:
    """The values this process last read or stored, most recently used last, each with the
    generation it belongs to."""

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
# The many small values of `shared_many` (a listing's teasers, a few KB each), kept apart so
# that a page of them does not push the larger values above out: a few MB per process.
_local_small_copies = _LocalCopies(size=1000)


def lookup(key):
    """(value, generation): what is stored under `key` for the current generation (None if
    nothing is), and that generation, for `store` to keep a value rendered now under
    (None when the cache keeps nothing: then the value is rendered and not stored)."""
    generation = current_generation()
    if generation is None:
        return None, None
    local = _local_copies.get(key)
    if local is not None and local[0] == generation:
        return local[1], generation
    value = cache.get(key, version=generation)
    if value is not None:
        _local_copies.put(key, (generation, value))
    return value, generation


def store(key, value, generation):
    """Keep `value`, rendered from the content as it was at `generation`.

    `generation` must be the one read before the value was made: if the content changed
    meanwhile, the value is kept under a generation no one reads any more.
    """
    if generation is None:
        return
    cache.set(key, value, settings.PAGE_CACHE_SECONDS, version=generation)
    _local_copies.put(key, (generation, value))


def shared(key, render, *, stored_as=None):
    """What `render()` returns, rendered once per content generation and shared.

    `key` names everything the value depends on besides the content (an article, a page
    number, the host of absolute links). `render` must not return None.

    `stored_as(value)`, if given, is the key the rendered value really belongs under, when
    `key` may name what does not exist (a page number past the last page, rendered as the
    last): it is kept there, so that made-up keys never fill the cache.
    """
    value, generation = lookup(key)
    if value is None:
        value = render()
        store(key if stored_as is None else stored_as(value), value, generation)
    return value


def shared_many(keys, render):
    """{key: value} for each of `keys`, as `shared` gives one, for the many small values of
    one page (a listing's teasers).

    What the current generation holds is read in one round trip; `render(missing)` gets
    the keys it does not hold (in the order given) and returns {key: value} for each of
    them, so that they are rendered together, their data read in one query rather than one
    each. A value must not be None.
    """
    keys = list(keys)
    generation = current_generation()
    found = {}
    if generation is not None:
        wanted = []
        for key in keys:
            local = _local_small_copies.get(key)
            if local is not None and local[0] == generation:
                found[key] = local[1]
            else:
                wanted.append(key)
        if wanted:
            found.update(cache.get_many(wanted, version=generation))
            for key in wanted:
                if key in found:
                    _local_small_copies.put(key, (generation, found[key]))
    missing = [key for key in keys if key not in found]
    if missing:
        rendered = render(missing)
        if generation is not None:
            cache.set_many(rendered, settings.PAGE_CACHE_SECONDS, version=generation)
            for key, value in rendered.items():
                _local_small_copies.put(key, (generation, value))
        found.update(rendered)
    return {key: found[key] for key in keys}

"""Shared fragments: a value rendered once per content generation and shared by every
process, the way `cache.get_or_set` shares a value.

    html = shared(f"comments:list:{article.pk}", lambda: render_to_string(...))

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

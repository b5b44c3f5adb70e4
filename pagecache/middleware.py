"""Anonymous readers share one rendering of a page.

`cache_public_page` wraps the public views in their urls; `PageCacheMiddleware` serves the
pages they stored. The rules, in one place:

* Only anonymous GET/HEAD requests are served from or stored in the cache: a request with
  any cookie but the neutral ones (csrftoken; see PAGE_CACHE_NEUTRAL_COOKIES), that is,
  with a session, pending comments, saved comment details or messages, is rendered for its
  visitor alone; so is a query string with anything but `page`/`cpage`/`sort`.
* Only canonical addresses are stored, so that nobody can fill the cache with copies of a
  page: the host exactly as ALLOWED_HOSTS names it (no pattern, no other port than the
  server's), only the query parameters the view declares, each a page number written the
  one way (a positive integer without leading zeros, and never page 1, which is the
  address without it), and a choice (`sort`) as a short lower-case word. A view whose page
  stands for another address (a page number past the last, shown as the last; a choice it
  does not offer or its default, shown as the default) says so with `not_canonical`.
  Other addresses are served, rendered for their visitor alone.
* Public pages answer GET and HEAD alone (405 otherwise, as Django's views do).
* Only plain 200 responses are stored, and never one that sets a cookie, varies on Cookie,
  changed the session, used a CSRF token or is marked private by its view. A shared page
  carries nothing of any visitor: anonymous readers' forms carry no token
  (newsroom/csrf.py).
* Pages are kept under the content generation (generation.py): a page of an older one is
  never served, the next request renders afresh.

Two caches keep these pages, with one rule: a page this module would store or serve from
its own cache is marked for shared caches (`Cache-Control: public, s-maxage=
EDGE_CACHE_SECONDS`), and nginx in front (deploy/nginx.conf) keeps it that long, for
requests without personal cookies; every other response says `private` and is never
stored by anyone. nginx serves a hot page without Python and knows nothing of content
generations, so an approval reaches readers within EDGE_CACHE_SECONDS. This cache serves
what nginx does not: its misses and refreshes (one render per content generation for all
app servers, over Redis), and sites run without nginx (`make run`).
"""

import functools
import hashlib
import re
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.utils.cache import (
    add_never_cache_headers,
    has_vary_header,
    patch_cache_control,
    patch_vary_headers,
)
from django.views.decorators.http import require_safe

from newsroom.client_ip import public_port

from .fragments import lookup, store
from .generation import read_once

STATUS_HEADER = "X-Page-Cache"
# "p": a sitemap's page (django.contrib.sitemaps names it so).
PAGE_QUERY_PARAMETERS = frozenset({"page", "cpage", "p"})
# Parameters naming one of a few choices (an order): the view says which values it offers,
# by calling not_canonical() for the others and for its default.
CHOICE_QUERY_PARAMETERS = frozenset({"sort"})
QUERY_PARAMETERS = PAGE_QUERY_PARAMETERS | CHOICE_QUERY_PARAMETERS
_CANONICAL_PAGE_NUMBER = re.compile(r"[1-9][0-9]*")
_CANONICAL_CHOICE = re.compile(r"[a-z]{1,20}")


def _is_personal(request):
    """Whether the page may show this visitor something of their own."""
    neutral = set(settings.PAGE_CACHE_NEUTRAL_COOKIES) | {settings.CSRF_COOKIE_NAME}
    if any(name not in neutral for name in request.COOKIES):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def page_key(request):
    """Where this request's page is kept: its address, host and page parameters included."""
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page_cache:page:{digest}"


def _shared_key(request, parameters=QUERY_PARAMETERS):
    """The key this request's page is kept under, or None if its page is not shared."""
    if request.method not in ("GET", "HEAD") or _is_personal(request):
        return None
    if not (_is_canonical_query(request, parameters) and _is_canonical_host(request)):
        return None
    return page_key(request)


def _is_canonical_query(request, parameters):
    for name, values in request.GET.lists():
        if name not in parameters or len(values) != 1:
            return False
        if name in CHOICE_QUERY_PARAMETERS:
            if not _CANONICAL_CHOICE.fullmatch(values[0]):
                return False
        elif values[0] == "1" or not _CANONICAL_PAGE_NUMBER.fullmatch(values[0]):
            return False
    return True


def _is_canonical_host(request):
    """Whether the Host is one ALLOWED_HOSTS names as it is (Django also accepts any case,
    any port and names matching a pattern such as ".example.com"), on the port the site
    is reached by (nginx's, behind it)."""
    host = request.get_host()
    domain, port = split_domain_port(host)
    named = {entry for entry in settings.ALLOWED_HOSTS if entry != "*" and entry[:1] != "."}
    return domain in named and host in (domain, f"{domain}:{public_port(request)}")


def not_canonical(request):
    """This request's page is that of another address (such as a page number past the last
    page, shown as the last): serve it, but do not store it for everyone."""
    request._page_cache_not_canonical = True


# What a view says about its page that a stored copy must say too: the sitemaps'
# X-Robots-Tag (the XML itself is not for search results) and Last-Modified.
KEPT_HEADERS = ("X-Robots-Tag", "Last-Modified")


def _storable_entry(request, response):
    """The cache entry for this response, or None if it must not be stored."""
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return None
    if getattr(request, "_page_cache_not_canonical", False):
        return None
    if response.cookies or has_vary_header(response, "Cookie"):
        return None
    # A page with a token in it belongs to its visitor (and its cookie is set above anyway).
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return None
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return None
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return None
    return {
        "content": response.content,
        "content_type": response["Content-Type"],
        "headers": {name: response[name] for name in KEPT_HEADERS if name in response},
    }


def _for_everyone(response):
    # Browsers ask again each time; shared caches (nginx) may keep it EDGE_CACHE_SECONDS.
    patch_cache_control(response, public=True, max_age=0, s_maxage=settings.EDGE_CACHE_SECONDS)
    # A visitor with cookies may be shown their own version of the same address.
    patch_vary_headers(response, ["Cookie"])


def _for_this_visitor(response):
    patch_cache_control(response, private=True, max_age=0, must_revalidate=True)


def _serve(entry):
    response = HttpResponse(entry["content"], content_type=entry["content_type"])
    for name, value in entry.get("headers", {}).items():
        response[name] = value
    _for_everyone(response)
    response[STATUS_HEADER] = "hit"
    return response


class PageCacheMiddleware:
    """Serves stored pages early in the middleware stack; the views store them.

    A hit needs nothing the later middleware adds (messages, the user, legacy redirects)
    nor the URL resolver.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with read_once():
            key = _shared_key(request)
            if key is not None:
                entry, generation = lookup(key)
                if entry is not None:
                    return _serve(entry)
                # The view's cache_public_page need not look again; it stores under this key.
                request._page_cache_miss = (key, generation)
            return self.get_response(request)


def cache_public_page(view, *, query=()):
    """Serve anonymous readers from the shared page cache (see the module docstring).

    `query`: the page number and choice parameters (of QUERY_PARAMETERS) the view reads;
    an address with any other is rendered for its visitor alone.
    """
    parameters = QUERY_PARAMETERS.intersection(query)

    @require_safe
    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        if _is_personal(request):
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            response[STATUS_HEADER] = "bypass"
            return response
        key = _shared_key(request, parameters)
        if key is None:
            response = view(request, *args, **kwargs)
            _for_this_visitor(response)
            response[STATUS_HEADER] = "bypass"
            return response

        if getattr(request, "_page_cache_miss", (None,))[0] == key:
            key, generation = request._page_cache_miss
        else:
            entry, generation = lookup(key)
            if entry is not None:
                return _serve(entry)

        response = view(request, *args, **kwargs)
        if getattr(response, "is_rendered", True) is False:
            response.render()
        entry = _storable_entry(request, response)
        if entry is None:
            _for_this_visitor(response)
            response[STATUS_HEADER] = "bypass"
            return response
        store(key, entry, generation)
        _for_everyone(response)
        response[STATUS_HEADER] = "miss"
        return response

    return cached_view

"""Cross-site request forgery: who must show Django's token, and the page when one is missing.

Django's token lives in a cookie and in the form, so a page carrying it belongs to one
visitor. Forms that anonymous readers send (a comment, an article's password) are checked
differently, so that the pages carrying them are the same for everyone and a shared cache
(nginx, pagecache) can serve them:

* A view marked `@origin_checked_when_anonymous` accepts a POST from a visitor without a
  session (not logged in) when the browser's own headers do not name another site: the
  `Origin` header, or when it is absent or "null", `Sec-Fetch-Site`, else the `Referer`.
  A POST that sends none of them is accepted, as WordPress's comment form accepts it.
  OWASP's CSRF cheat sheet describes these header checks ("Verifying Origin With Standard
  Headers", "Fetch Metadata").
* Why that is enough for these forms: a forged anonymous POST can only do what anyone can
  do from their own browser, with nothing of the victim's attached. A comment is held for
  moderation and flood-limited whatever sent it; an article's password unlocks one article
  in the browser that sent it. The token protects what a session can do, and a visitor with
  a session (staff, logged-in readers) still needs it on these views too: their pages are
  rendered for them alone, token included, and never shared.
* As a side effect, anonymous readers whose browser blocks cookies can comment.

`csrf_failure` is the page for a form refused (CSRF_FAILURE_VIEW). Django's own is bare and
speaks of DEBUG; a reader whose browser blocks or just cleared cookies deserves the site's
design, a plain explanation and a way on. A view whose form knows better (the comment form
gives the text typed back) sets a `csrf_failure` attribute:
`handler(request, reason, **url_kwargs)`, returning a response or None.
"""

import functools
from http import HTTPStatus
from urllib.parse import urlsplit

from django.core.exceptions import DisallowedHost
from django.middleware import csrf
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.http import is_same_domain
from django.views.decorators.csrf import csrf_protect

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
REASON_CROSS_SITE = "The form was sent from another site (Origin, Sec-Fetch-Site or Referer)."
# Sec-Fetch-Site values that name no other site: this origin, another origin of the same
# registrable domain (a sibling subdomain), or none (the reader typed it). Browsers send
# Origin on every POST as well, and Origin, when it names an origin, is judged exactly.
_OWN_FETCH_SITES = frozenset({"same-origin", "same-site", "none"})


def origin_checked_when_anonymous(view):
    """Check this view's anonymous POSTs by their headers, not by the token (see the module
    docstring); requests with a session, and safe methods, get Django's own check
    (csrf_protect, the middleware's code). The view is exempt from the middleware, which
    has nothing left to check."""
    protected = csrf_protect(view)

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        if request.method in SAFE_METHODS or needs_token(request):
            return protected(request, *args, **kwargs)
        headers = _HeaderCheck(view)
        if headers.name_another_site(request):
            return headers.refuse(request)
        return view(request, *args, **kwargs)

    checked.csrf_exempt = True
    return checked


def needs_token(request):
    """Whether this visitor's forms carry Django's token (a session to protect)."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class _HeaderCheck(csrf.CsrfViewMiddleware):
    """Django's middleware, for its reading of CSRF_TRUSTED_ORIGINS, its logging and its
    failure view; made per request, as its settings are read when first used."""

    def name_another_site(self, request):
        origin = request.META.get("HTTP_ORIGIN")
        if origin and origin != "null":
            return not self._is_this_site(request, origin)
        fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
        if fetch_site:
            return fetch_site not in _OWN_FETCH_SITES
        referer = request.META.get("HTTP_REFERER")
        if referer:
            try:
                parts = urlsplit(referer)
            except ValueError:
                return True
            return not self._is_this_site(request, f"{parts.scheme}://{parts.netloc}")
        return False

    def refuse(self, request):
        # Logged to django.security.csrf, answered by CSRF_FAILURE_VIEW, as Django does.
        return self._reject(request, REASON_CROSS_SITE)

    def _is_this_site(self, request, origin):
        """Whether `origin` (scheme://host[:port]) is this site or one CSRF_TRUSTED_ORIGINS
        names, as Django judges the Origin header."""
        try:
            own = f"{'https' if request.is_secure() else 'http'}://{request.get_host()}"
        except DisallowedHost:
            own = None
        if origin == own or origin in self.allowed_origins_exact:
            return True
        try:
            parts = urlsplit(origin)
        except ValueError:
            return False
        return any(
            is_same_domain(parts.netloc, host)
            for host in self.allowed_origin_subdomains.get(parts.scheme, ())
        )


def csrf_failure(request, reason=""):
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    handler = getattr(match.func, "csrf_failure", None) if match else None
    if handler is not None:
        response = handler(request, reason, **match.kwargs)
        if response is not None:
            return response
    # The reason stays in the log (django.security.csrf), never on the page.
    template = "csrf_cross_site.html" if reason == REASON_CROSS_SITE else "csrf_failure.html"
    return render(request, template, status=HTTPStatus.FORBIDDEN)

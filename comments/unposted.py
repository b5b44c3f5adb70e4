"""A refused comment kept for a moment, so that its page can be reached by GET.

A refused post (invalid fields, too fast, a duplicate, flood control, closed comments, a
missing CSRF cookie) used to answer the POST with the article page itself: reloading it
asked the browser to send the form again, and a second send could then count against the
reader (flood control, duplicates). Now the refusal is judged once, on the POST; what the
reader typed, the errors and the status are kept in the shared cache (Redis in production,
so any app server answers the GET) under a random token, and the browser is sent (303) to
the article at `?unposted=<token>#respond`, which shows the form as it was sent back, with
the refusal's status. Reloading that page sends nothing.

Kept for KEPT_FOR: long enough to reload, to look something up in another tab or to come
back from a phone call; short, because what is kept includes the reader's email address.
The token is only good for the article it was made for. The 303 also sets a cookie for
that article's address alone (BROWSER_COOKIE, as long as the refusal is kept): in the
browser that posted, the page shows everything as sent; anywhere else (the address could
leave it: a shared history, a copied link), or in a browser that blocks cookies, it shows
the text and the errors but not the name, email address and website, which are typed
again. When the cache keeps nothing (down), the refusal is rendered on the POST as before:
nothing typed is lost.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from http import HTTPStatus
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpResponseRedirect

from .forms import CommentForm, typed_values

QUERY_PARAMETER = "unposted"
BROWSER_COOKIE = "comments_unposted"
# What only the browser that posted is shown again.
PERSONAL_FIELDS = ("name", "email", "url", "remember")
KEPT_FOR = timedelta(minutes=30)
GONE = (
    "The comment you were writing here is no longer kept (refused comments are kept for "
    f"{int(KEPT_FOR.total_seconds() // 60)} minutes). Nothing was posted: write it again below."
)
_KEY = "comments:unposted:{token}"
# Long enough never to be guessed; short enough for a tidy address.
_TOKEN_BYTES = 18
_MAX_TOKEN_LENGTH = 64


@dataclass(frozen=True)
class Unposted:
    """Why a comment was not posted, shown where no form is, with the text as written."""

    message: str
    text: str = ""

    def __str__(self):
        return self.message


@dataclass(frozen=True)
class SentBack:
    """A refused comment as its page shows it again: the form (with errors and everything
    typed) or, where no form is shown (closed comments), the refusal with its text."""

    status: int
    form: CommentForm | None = None
    refusal: Unposted | None = None
    # Shown instead when the token is unknown or expired: a notice, not an error.
    notice: str = ""


def _browser_secret(request):
    """This browser's secret for its refused comments: the one its cookie holds, or new."""
    secret = request.COOKIES.get(BROWSER_COOKIE, "")
    if 0 < len(secret) <= _MAX_TOKEN_LENGTH and secret.isascii() and secret.isalnum():
        return secret
    return secrets.token_hex(_TOKEN_BYTES)


def _digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def keep(request, article, *, status, form=None, values=None, refusal=None):
    """Keep a refused comment for its page; the 303 that sends the browser there, or None
    if the cache kept nothing (render the refusal on the POST then).

    `form`: the bound form, sent back with its errors; or `values`: what was typed, to
    show in a form not judged (typed_values); neither where no form is to be shown.
    `refusal`: an Unposted (its message, shown above the form or alone, with the text).
    """
    secret = _browser_secret(request)
    has_form = form is not None or values is not None
    if form is not None:
        values = typed_values(form.data)
    errors = form.errors.get_json_data() if form is not None else {}
    kept = {
        "article": article.pk,
        "browser": _digest(secret),
        "status": int(status),
        "values": values or {},
        "errors": errors,
        "message": refusal.message if refusal else "",
        "text": refusal.text if refusal else "",
        "has_form": has_form,
    }
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    if not cache.add(_KEY.format(token=token), kept, timeout=int(KEPT_FOR.total_seconds())):
        return None
    query = urlencode({QUERY_PARAMETER: token})
    response = HttpResponseRedirect(
        f"{article.get_absolute_url()}?{query}#respond", status=HTTPStatus.SEE_OTHER
    )
    response.set_cookie(
        BROWSER_COOKIE,
        secret,
        max_age=int(KEPT_FOR.total_seconds()),
        path=article.get_absolute_url(),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def sent_back(request, article):
    """The refused comment this GET asks to show again (?unposted=), a SentBack, or None if
    the address asks for none. Looked up once per request."""
    token = request.GET.get(QUERY_PARAMETER)
    if token is None or request.method not in ("GET", "HEAD"):
        return None
    remembered = getattr(request, "_comments_sent_back", None)
    if remembered is not None and remembered[0] == article.pk:
        return remembered[1]
    found = _find(request, article, token)
    request._comments_sent_back = (article.pk, found)
    return found


def _find(request, article, token):
    kept = None
    if 0 < len(token) <= _MAX_TOKEN_LENGTH and token.isascii():
        kept = cache.get(_KEY.format(token=token))
    if not isinstance(kept, dict) or kept.get("article") != article.pk:
        # Unknown, expired or for another article: the article as it is, with a word on
        # why the text is not there.
        return SentBack(status=200, notice=GONE)
    values, errors = kept["values"], kept["errors"]
    secret = request.COOKIES.get(BROWSER_COOKIE, "")
    if not hmac.compare_digest(kept["browser"], _digest(secret)):
        values = {name: value for name, value in values.items() if name not in PERSONAL_FIELDS}
        errors = {name: found for name, found in errors.items() if name not in PERSONAL_FIELDS}
    refusal = Unposted(kept["message"], kept["text"]) if kept["message"] else None
    form = None
    if kept["has_form"]:
        form = CommentForm.sent_back(article, values, errors, user=getattr(request, "user", None))
    return SentBack(status=kept["status"], form=form, refusal=refusal)

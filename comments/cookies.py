"""The two signed cookies a commenter's browser keeps.

`comments_pending` lists that browser's comments awaiting moderation, so their author
(and nobody else) sees them in place. `comment_author` holds the name, email and website
a reader asked us to remember. The page cache skips visitors carrying either cookie:
keep these names.
"""

from datetime import timedelta

from django.core import signing

PENDING_COOKIE = "comments_pending"
PENDING_SALT = "comments.cookies.pending"
PENDING_MAX_AGE = timedelta(days=3)
# Enough for a busy commenter; keeps the cookie small.
PENDING_LIMIT = 20

AUTHOR_COOKIE = "comment_author"
AUTHOR_SALT = "comments.cookies.author"
AUTHOR_MAX_AGE = timedelta(days=365)


def _read(request, name, salt, max_age):
    value = request.COOKIES.get(name)
    if not value:
        return None
    try:
        return signing.loads(value, salt=salt, max_age=max_age)
    except signing.BadSignature:
        # Forged, tampered with or expired: as if there were no cookie.
        return None


def _write(request, response, name, value, salt, max_age):
    response.set_cookie(
        name,
        signing.dumps(value, salt=salt, compress=True),
        max_age=int(max_age.total_seconds()),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def pending_comment_ids(request):
    """Ids of the comments this browser sent that may still await moderation."""
    ids = _read(request, PENDING_COOKIE, PENDING_SALT, PENDING_MAX_AGE)
    if not isinstance(ids, list):
        return []
    return [pk for pk in ids if isinstance(pk, int)]


def remember_pending_comment(request, response, comment):
    ids = [pk for pk in pending_comment_ids(request) if pk != comment.pk] + [comment.pk]
    _write(request, response, PENDING_COOKIE, ids[-PENDING_LIMIT:], PENDING_SALT, PENDING_MAX_AGE)


def remembered_author(request):
    """The name, email and website this browser asked us to remember, or {}."""
    details = _read(request, AUTHOR_COOKIE, AUTHOR_SALT, AUTHOR_MAX_AGE)
    if not isinstance(details, dict):
        return {}
    return {key: str(details.get(key, "")) for key in ("name", "email", "url")}


def remember_author(request, response, details):
    _write(request, response, AUTHOR_COOKIE, details, AUTHOR_SALT, AUTHOR_MAX_AGE)


def forget_author(response):
    response.delete_cookie(AUTHOR_COOKIE, samesite="Lax")

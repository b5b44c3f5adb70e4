"""The two signed cookies a commenter's browser keeps.

`comments_pending` lists that browser's comments awaiting moderation, so their author
(and nobody else) sees them in place. `comment_author` holds the name, email and website
a reader asked us to remember, encrypted: a signed cookie is only base64, and the email
address would be readable to anyone who sees the cookie (a shared computer, a proxy's log).
The page cache skips visitors carrying either cookie: keep these names.
"""

import base64
import functools
import json
from datetime import timedelta

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core import signing

PENDING_COOKIE = "comments_pending"
PENDING_SALT = "comments.cookies.pending"
PENDING_MAX_AGE = timedelta(days=3)
# Enough for a busy commenter; keeps the cookie small.
PENDING_LIMIT = 20

# The comments this browser reported, sent back to the report pages alone (its path):
# article pages never see it, so the page cache still serves them to this reader.
REPORTED_COOKIE = "comments_reported"
REPORTED_SALT = "comments.cookies.reported"
REPORTED_MAX_AGE = timedelta(days=365)
REPORTED_LIMIT = 100

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
    _set(request, response, name, signing.dumps(value, salt=salt, compress=True), max_age)


def _set(request, response, name, value, max_age, path="/"):
    response.set_cookie(
        name,
        value,
        max_age=int(max_age.total_seconds()),
        path=path,
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


def own_comment_ids(request):
    """Ids of the comments this browser sent (the same cookie: every comment posted is
    in it, whatever the policy decided), for editing and deleting one's own comment."""
    return pending_comment_ids(request)


def remember_pending_comment(request, response, comment):
    ids = [pk for pk in pending_comment_ids(request) if pk != comment.pk] + [comment.pk]
    _write(request, response, PENDING_COOKIE, ids[-PENDING_LIMIT:], PENDING_SALT, PENDING_MAX_AGE)


def reported_comment_ids(request):
    """Ids of the comments this browser reported (one report per browser per comment)."""
    ids = _read(request, REPORTED_COOKIE, REPORTED_SALT, REPORTED_MAX_AGE)
    if not isinstance(ids, list):
        return []
    return [pk for pk in ids if isinstance(pk, int)]


def remember_reported_comment(request, response, comment, *, path):
    ids = [pk for pk in reported_comment_ids(request) if pk != comment.pk] + [comment.pk]
    value = signing.dumps(ids[-REPORTED_LIMIT:], salt=REPORTED_SALT, compress=True)
    _set(request, response, REPORTED_COOKIE, value, REPORTED_MAX_AGE, path=path)


@functools.lru_cache(maxsize=4)
def _author_cipher(secret_key, fallbacks):
    # A key of its own for this cookie, derived from SECRET_KEY (and from the fallbacks,
    # so that rotating SECRET_KEY keeps readers' saved details readable for a while).
    keys = [
        Fernet(
            base64.urlsafe_b64encode(
                HKDF(
                    algorithm=hashes.SHA256(), length=32, salt=None, info=AUTHOR_SALT.encode()
                ).derive(str(secret).encode())
            )
        )
        for secret in (secret_key, *fallbacks)
    ]
    return MultiFernet(keys)


def _cipher():
    return _author_cipher(settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS))


def remembered_author(request):
    """The name, email and website this browser asked us to remember, or {}."""
    token = request.COOKIES.get(AUTHOR_COOKIE)
    if not token:
        return {}
    try:
        details = json.loads(
            _cipher().decrypt(token.encode(), ttl=int(AUTHOR_MAX_AGE.total_seconds()))
        )
    except (InvalidToken, UnicodeError, ValueError):
        # Forged, tampered with, expired, or written before the cookie was encrypted.
        return {}
    if not isinstance(details, dict):
        return {}
    return {key: str(details.get(key, "")) for key in ("name", "email", "url")}


def remember_author(request, response, details):
    token = _cipher().encrypt(json.dumps(details).encode()).decode()
    _set(request, response, AUTHOR_COOKIE, token, AUTHOR_MAX_AGE)


def forget_author(response):
    response.delete_cookie(AUTHOR_COOKIE, samesite="Lax")

"""Password-protected articles, as WordPress has them: readers see the headline and a
password form; the right password unlocks that article for the browser that entered it.

The unlock is a signed cookie named after the article, whose value is a digest of the
article's password: it opens that article alone, and no longer once editors change the
password. Any cookie but the neutral ones keeps the page cache from serving or storing a
visitor's page (pagecache.middleware), so an unlocked page is never shared; its view also
marks it private, should that rule ever change.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import constant_time_compare, salted_hmac

from newsroom.client_ip import client_ip

COOKIE_PREFIX = "article-unlocked-"
# As WordPress's wp-postpass cookie: ten days.
UNLOCK_SECONDS = 10 * 24 * 60 * 60
# Wrong passwords allowed per client and article in ATTEMPT_WINDOW_SECONDS.
MAX_ATTEMPTS = 5
ATTEMPT_WINDOW_SECONDS = 15 * 60

WRONG_PASSWORD = "That is not the password for this article. Check it and try again."  # noqa: S105
TOO_MANY_ATTEMPTS = (
    "Too many wrong passwords for this article from your connection. "
    "Wait a quarter of an hour, then try again."
)


def cookie_name(article):
    return f"{COOKIE_PREFIX}{article.pk}"


def _salt(article):
    # Per article, so that no article's cookie, however obtained, fits another.
    return f"articles.protection:{article.pk}"


def _token(article):
    return salted_hmac(_salt(article), article.password, algorithm="sha256").hexdigest()


def is_unlocked(request, article):
    """Whether this request may read `article` in full (always, if it has no password)."""
    if not article.is_protected:
        return True
    value = request.get_signed_cookie(
        cookie_name(article), default=None, salt=_salt(article), max_age=UNLOCK_SECONDS
    )
    return value is not None and constant_time_compare(value, _token(article))


def password_matches(article, password):
    return article.is_protected and constant_time_compare(password, article.password)


def unlock(response, article):
    """Let the browser this response goes to read `article` (and comment on it)."""
    response.set_signed_cookie(
        cookie_name(article),
        _token(article),
        salt=_salt(article),
        max_age=UNLOCK_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _attempts_key(request, article):
    return f"articles:password-attempts:{article.pk}:{client_ip(request) or 'unknown'}"


def too_many_attempts(request, article):
    return (cache.get(_attempts_key(request, article)) or 0) >= MAX_ATTEMPTS


def count_wrong_attempt(request, article):
    key = _attempts_key(request, article)
    # add() starts the window; incr() never extends it.
    if not cache.add(key, 1, timeout=ATTEMPT_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, timeout=ATTEMPT_WINDOW_SECONDS)

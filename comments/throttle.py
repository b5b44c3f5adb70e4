"""Flood control and duplicate refusal: the checks that turn a valid comment away unstored.

Flood limits live in the Django cache, so with Redis they hold across every process.
"""

from dataclasses import dataclass
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

from .models import Comment

TOO_QUICKLY = "You are posting comments too quickly. Slow down."
TOO_QUICKLY_REPORTING = "You are sending reports too quickly. Wait a moment and try again."
DUPLICATE = "Duplicate comment detected; it looks as though you’ve already said that!"


@dataclass(frozen=True)
class Refusal:
    message: str
    status: int


def refusal_for(comment):
    """Why this new comment must not be stored (a Refusal), or None to go ahead.

    Claims the client's posting slot when it goes ahead: of two comments sent at once by
    the same client, cache.add lets exactly one through.
    """
    if is_duplicate(comment):
        return Refusal(DUPLICATE, HTTPStatus.CONFLICT)
    if not claim_posting_slot(comment.ip_address):
        return Refusal(TOO_QUICKLY, HTTPStatus.TOO_MANY_REQUESTS)
    return None


def is_duplicate(comment):
    if comment.user_id and not comment.author_email:
        same_author = Comment.objects.filter(user_id=comment.user_id)
    else:
        same_author = Comment.objects.by_emails([comment.author_email])
    return same_author.filter(article_id=comment.article_id, body=comment.body).exists()


# Flood limits kept by this process alone, for while the shared cache keeps nothing.
_fallback_slots = LocMemCache("comments-flood-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


def claim_posting_slot(ip_address):
    """Whether this client may post now (and then nobody else may for a while).

    Fails open: when the cache is down, each process keeps the limit on its own, so a
    client gets one comment per process per COMMENTS_FLOOD_SECONDS; moderation and the
    duplicate check (in the database) still hold. Readers keep being able to comment.
    """
    return _claim_slot(f"comments:flood:{ip_address or 'unknown'}")


def claim_report_slot(ip_address):
    """Whether this client may report a comment now: one report per client per
    COMMENTS_FLOOD_SECONDS, counted apart from posting (reading and reporting a comment
    right after posting one is no flood)."""
    return _claim_slot(f"comments:report-flood:{ip_address or 'unknown'}")


def _claim_slot(key):
    seconds = settings.COMMENTS_FLOOD_SECONDS
    if seconds <= 0:
        return True
    if cache.add(key, True, timeout=seconds):
        return True
    if cache.has_key(key):
        return False
    # Not added, yet no one holds the slot: the cache keeps nothing.
    return _fallback_slots.add(key, True, timeout=seconds)

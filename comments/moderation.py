"""The moderation policy: what status a new comment gets, and why.

Like django-contrib-comments' CommentModerator: a small object configured from settings
whose rules each either decide (a status and the reason, stored in `moderation_reason`)
or pass. Views ask `moderate()` and never hold policy of their own.
"""

import copy
import re
from dataclasses import dataclass, replace

from django.conf import settings

from .models import Comment
from .rendering import count_links, render_comment_body

Status = Comment.Status


@dataclass(frozen=True)
class SubmissionEvidence:
    """What the form observed about how it was filled in, for the rules to weigh (see
    comments/forms.py)."""

    timestamp_valid: bool = True
    seconds_to_submit: float | None = None
    honeypot_filled: bool = False

    def with_honeypot(self, filled):
        return replace(self, honeypot_filled=filled)


@dataclass(frozen=True)
class Decision:
    status: str
    reason: str

    def apply_to(self, comment):
        comment.status = self.status
        comment.moderation_reason = self.reason[:255]


HELD_BY_DEFAULT = Decision(Status.PENDING, "Held for moderation: every new comment is.")


class CommentModerator:
    """The rules, in order; the first that decides wins, else the comment is held.

    Spam signs come first, so that nothing a spammer does can get a comment approved;
    holding for speed or too many links comes before approving returning authors.
    """

    def __init__(
        self,
        *,
        disallowed_words=(),
        max_links=2,
        auto_approve_returning=False,
        min_seconds_to_submit=3,
    ):
        self.disallowed_words = [word for word in disallowed_words if word.strip()]
        self.max_links = max_links
        self.auto_approve_returning = auto_approve_returning
        self.min_seconds_to_submit = min_seconds_to_submit
        self._disallowed = (
            re.compile(
                "|".join(
                    rf"(?<!\w){re.escape(word.strip())}(?!\w)" for word in self.disallowed_words
                ),
                re.IGNORECASE,
            )
            if self.disallowed_words
            else None
        )

    @classmethod
    def from_settings(cls):
        return cls(
            disallowed_words=settings.COMMENTS_DISALLOWED_WORDS,
            max_links=settings.COMMENTS_MAX_LINKS,
            auto_approve_returning=settings.COMMENTS_AUTO_APPROVE_RETURNING,
            min_seconds_to_submit=settings.COMMENTS_MIN_SECONDS_TO_SUBMIT,
        )

    def moderate(self, comment, evidence):
        """The Decision for a new, unsaved comment, given how its form was filled in."""
        rules = (
            self.honeypot,
            self.forged_timestamp,
            self.disallowed_word,
            self.too_fast,
            self.too_many_links,
            self.returning_author,
        )
        for rule in rules:
            decision = rule(comment, evidence)
            if decision is not None:
                return decision
        return HELD_BY_DEFAULT

    def honeypot(self, comment, evidence):
        if evidence.honeypot_filled:
            return Decision(Status.SPAM, "Spam: the hidden honeypot field was filled in.")
        return None

    def forged_timestamp(self, comment, evidence):
        if not evidence.timestamp_valid:
            return Decision(Status.SPAM, "Spam: the form's timestamp was missing or forged.")
        return None

    def too_fast(self, comment, evidence):
        # Held, not spam: people do post this fast (a returning reader whose details are
        # saved, writing "Great news, thanks!"). Without any spam sign besides (the rules
        # before this one), a moderator decides.
        seconds = evidence.seconds_to_submit
        if seconds is not None and seconds < self.min_seconds_to_submit:
            return Decision(
                Status.PENDING,
                f"Held: sent {seconds:.1f} s after the form was first shown "
                f"(most people take at least {self.min_seconds_to_submit} s).",
            )
        return None

    def disallowed_word(self, comment, evidence):
        if self._disallowed is None:
            return None
        # As WordPress: the name, email and website count as much as the text.
        written = "\n".join(
            (comment.body, comment.author_name, comment.author_email, comment.author_url)
        )
        match = self._disallowed.search(written)
        if match:
            return Decision(Status.SPAM, f"Spam: contains the disallowed word “{match[0]}”.")
        return None

    def too_many_links(self, comment, evidence):
        links = count_links(comment.body_html or render_comment_body(comment.body))
        if links > self.max_links:
            return Decision(
                Status.PENDING,
                f"Held: {links} links (more than {self.max_links} are held for a moderator).",
            )
        return None

    def returning_author(self, comment, evidence):
        if not self.auto_approve_returning:
            return None
        # An edited comment does not vouch for itself.
        itself = {"pk": comment.pk} if comment.pk is not None else {}
        if comment.user_id is not None:
            returning = (
                Comment.objects.approved()
                .filter(user_id=comment.user_id)
                .exclude(**itself)
                .exists()
            )
        else:
            # The statuses of this author's comments, found through the address index: a
            # filter on status would have SQLite read every approved comment on the site.
            statuses = (
                Comment.objects.by_emails([comment.author_email])
                .filter(author_name=comment.author_name)
                .exclude(**itself)
                .order_by()
                .values_list("status", flat=True)
                .distinct()
            )
            returning = Status.APPROVED in set(statuses)
        if returning:
            return Decision(
                Status.APPROVED, "Approved: the author has a previously approved comment."
            )
        return None


def moderate(comment, evidence):
    """The site's policy, as configured in settings, applied to a new comment."""
    return CommentModerator.from_settings().moderate(comment, evidence)


def moderate_edit(comment, body):
    """The policy's verdict on `comment` were its text `body` (an edit by its author):
    judged as a new comment with that text, sent by a person (the edit form carries no
    bot signs to weigh), and never vouched for by itself."""
    edited = copy.copy(comment)
    edited.body = body
    edited.body_html = render_comment_body(body)
    return moderate(edited, SubmissionEvidence())

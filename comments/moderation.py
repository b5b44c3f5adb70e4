"""The moderation policy: what status a new comment gets, and why.

Like django-contrib-comments' CommentModerator: a small object configured from settings
whose rules each either decide (a status and the reason, stored in `moderation_reason`)
or pass. Views ask `moderate()` and never hold policy of their own.

The form's signed timestamp, now that pages are shared. An article page, its Leave a Reply
form included, is the same for every anonymous reader, and caches keep it: the page cache
until the content changes (at most PAGE_CACHE_SECONDS), nginx EDGE_CACHE_SECONDS more. So
the timestamp is signed when the page is rendered, not when a reader opens it, and the
rules weigh it for what it is:

* forged (not signed by us, or for another article) → spam, as before: a cache copies our
  signature faithfully, a bot cannot make one.
* too fast: sent less than COMMENTS_MIN_SECONDS_TO_SUBMIT after the form was rendered →
  held. The time since rendering is never shorter than the time since this reader got the
  page, so whatever this rule holds was sent that fast; what it no longer sees is a bot
  posting at once from a page rendered a while ago. It only ever decided between held and
  approved for comments another rule would approve (returning author, trusted), every
  other comment being held anyway; and the honeypot, flood control, duplicates, the spam
  filter and the queue judge every comment as before.
* stale: a form rendered more than COMMENTS_FORM_MAX_AGE_SECONDS ago comes back to be
  sent again (comments/forms.py); that age is kept far above the caches' lifetimes (system
  check comments.E002), so no reader meets it on a fresh page.
"""

import copy
import re
from dataclasses import dataclass, replace

from django.conf import settings
from django.utils.module_loading import import_string

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

    1. banned (a ban sanction on the email, its domain, the IP address or its network)
       → spam;
    2. the spam signs → spam: honeypot, forged timestamp, disallowed word, then the spam
       checkers (COMMENTS_SPAM_CHECKERS, the learning filter among them);
    3. always held (a hold sanction) → pending, whatever follows;
    4. trusted (a trust sanction) → approved: only the spam signs above can stop it;
    5. too fast, too many links → pending; 6. returning author → approved.

    Spam signs come first, so that nothing a spammer does can get a comment approved;
    holding for speed or too many links comes before approving returning authors. The
    sanctions cost one query per comment, the learning filter one more (sanctions.py,
    spam_filter.py); a checker that does not decide leaves its score in the reason.
    """

    def __init__(
        self,
        *,
        disallowed_words=(),
        max_links=2,
        auto_approve_returning=False,
        min_seconds_to_submit=3,
        spam_checkers=(),
    ):
        self.spam_checkers = list(spam_checkers)
        self._sanctions = {}
        self._notes = []
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
            spam_checkers=[import_string(path)() for path in settings.COMMENTS_SPAM_CHECKERS],
        )

    def moderate(self, comment, evidence):
        """The Decision for a new, unsaved comment, given how its form was filled in."""
        rules = (
            self.banned,
            self.honeypot,
            self.forged_timestamp,
            self.disallowed_word,
            self.checked_as_spam,
            self.always_held,
            self.trusted,
            self.too_fast,
            self.too_many_links,
            self.returning_author,
        )
        self._notes = []
        for rule in rules:
            decision = rule(comment, evidence)
            if decision is not None:
                break
        else:
            decision = HELD_BY_DEFAULT
        if self._notes:
            decision = Decision(decision.status, " ".join([decision.reason, *self._notes]))
        return decision

    # --- sanctions (comments/sanctions.py) ------------------------------------------

    def sanction_of(self, comment, kind):
        """The sanction of this kind in force for this commenter, if any; the sanctions
        that match are read once per comment, in one query."""
        from .sanctions import Sanction

        key = (comment.author_email, comment.ip_address)
        if key not in self._sanctions:
            self._sanctions[key] = Sanction.objects.matching(
                email=comment.author_email, ip_address=comment.ip_address
            )
        return next((s for s in self._sanctions[key] if s.kind == kind), None)

    def banned(self, comment, evidence):
        sanction = self.sanction_of(comment, "ban")
        if sanction is not None:
            return Decision(Status.SPAM, f"Spam: {_sanction_reason('banned', sanction)}")
        return None

    def always_held(self, comment, evidence):
        sanction = self.sanction_of(comment, "hold")
        if sanction is not None:
            return Decision(Status.PENDING, f"Held: {_sanction_reason('always held', sanction)}")
        return None

    def trusted(self, comment, evidence):
        sanction = self.sanction_of(comment, "trust")
        if sanction is not None:
            return Decision(Status.APPROVED, f"Approved: {_sanction_reason('trusted', sanction)}")
        return None

    def checked_as_spam(self, comment, evidence):
        """Ask each spam checker in turn; the first that calls it spam decides. A checker
        never approves: what it says of a comment it does not call spam is only noted."""
        for checker in self.spam_checkers:
            verdict = checker.check(comment)
            if verdict is None:
                continue
            if verdict.is_spam:
                return Decision(Status.SPAM, f"Spam: {verdict.note}")
            if verdict.note:
                self._notes.append(verdict.note[:1].upper() + verdict.note[1:])
        return None

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


def _sanction_reason(what, sanction):
    target = sanction.get_target_type_display().lower()
    return f"{target} {sanction.value} is {what} ({sanction.reason})."


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

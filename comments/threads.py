"""The reply tree of an article's comments, built in Python from one query, and its pages.

Readers choose the order of the threads (ORDERS): the oldest first (the default, which
permalinks and the redirect after posting count pages in), the newest first, or the threads
with an editors' pick first. Replies always stay in the order they came, under what they
answer.

Pages hold top-level threads (a comment with all its replies), so a conversation is never
split across pages. Replies nest up to settings.COMMENTS_THREAD_DEPTH; deeper replies are
shown at the deepest level, after the comment they answer, as WordPress does.
"""

import html
import re
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from .models import Comment, edit_window

APPROVED = Comment.Status.APPROVED

# Only what the page shows: the email address is never loaded for a public page.
DISPLAY_FIELDS = (
    "id",
    "article_id",
    "parent_id",
    "author_name",
    "author_url",
    "body_html",
    "status",
    "submitted_at",
    "featured_at",
    "by_staff",
    "edited_at",
)
# Enough to place a comment on its page (the redirect after posting): no names or text.
PLACE_FIELDS = ("id", "parent_id", "status", "submitted_at")
# The orders readers may ask for with ?sort=, the default first.
OLDEST, NEWEST, FEATURED = "oldest", "newest", "featured"
ORDERS = {OLDEST: "Oldest", NEWEST: "Newest", FEATURED: "Editors’ picks"}
DEFAULT_ORDER = OLDEST
# How much of the comment being answered the reply form quotes.
EXCERPT_WORDS = 30


@dataclass(frozen=True)
class ReplyTarget:
    """The comment a reply answers, as templates may see it: what every reader of the
    page sees already, and never the email address or anything else of the row."""

    pk: int
    author_name: str
    # The start of what it says, as plain text, to remind the replier what they answer.
    excerpt: str = ""


@dataclass
class CommentNode:
    row: dict
    depth: int
    can_reply: bool
    replies: list = field(default_factory=list)

    @cached_property
    def comment(self):
        # Model instances only for the comments a page shows: making one for every
        # comment of a long thread would cost more than the query.
        return Comment(**self.row)

    @property
    def has_pick(self):
        """Whether this comment or a reply below it is an editors' pick readers see."""
        # From the rows: a model instance for every comment would cost more than the query.
        return any(
            node.row["featured_at"] is not None and node.row["status"] == APPROVED
            for node in self.in_reading_order()
        )

    def in_reading_order(self):
        """This comment and all the replies below it, in the order a page lists them."""
        # Without recursion: an imported reply chain may be very long.
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.replies))


class CommentThreads:
    def __init__(
        self, rows, *, max_depth=None, per_page=None, held_replies_first=True, order=DEFAULT_ORDER
    ):
        """`rows`: dicts of DISPLAY_FIELDS, one per comment this reader may see.

        `held_replies_first`: a reader's own replies awaiting moderation come right under
        what they answer, so that after posting both are in view, however many replies
        came before. Moderators, who see every reply, read them in the order they came.
        """
        self.max_depth = max(max_depth or settings.COMMENTS_THREAD_DEPTH, 1)
        self.per_page = max(per_page or settings.COMMENTS_PER_PAGE, 1)
        rows = sorted(rows, key=lambda row: (row["submitted_at"], row["id"]))
        visible = {row["id"] for row in rows}
        self.approved_count = sum(row["status"] == APPROVED for row in rows)
        children = {}
        roots = []
        for row in rows:
            if row["parent_id"] in visible:
                children.setdefault(row["parent_id"], []).append(row)
            else:
                # Top level, or a reply whose parent readers can no longer see.
                roots.append(row)
        if held_replies_first:
            for replies in children.values():
                replies.sort(key=lambda row: row["status"] == APPROVED)
        self.order = order if order in ORDERS else DEFAULT_ORDER
        self.threads = self._build(roots, children)
        if self.order == NEWEST:
            self.threads.reverse()
        elif self.order == FEATURED:
            # Stable: picks' threads first, each part still oldest first.
            self.threads.sort(key=lambda root: not root.has_pick)
        self._thread_index = {}
        for index, root in enumerate(self.threads):
            self._index_thread(root, index)

    @classmethod
    def for_article(cls, article, own_pending_ids=(), *, highlighted=None, **options):
        """The threads one reader sees on an article: a single query.

        (Where comments are, without what they say, is comments.listing.comment_places.)
        `highlighted`: see CommentQuerySet.for_reader.
        """
        # Unordered: the rows are sorted here, and SQLite would sort them in a temporary
        # B-tree first.
        visible = Comment.objects.for_reader(
            own_pending_ids, highlighted=highlighted, article=article
        )
        return cls(visible.order_by().values(*DISPLAY_FIELDS), **options)

    def _build(self, roots, children):
        threads = []
        # Depth-first without recursion: an imported reply chain may be very long.
        stack = [(row, 1, threads) for row in reversed(roots)]
        while stack:
            row, depth, siblings = stack.pop()
            node = CommentNode(row, depth, row["status"] == APPROVED and depth < self.max_depth)
            siblings.append(node)
            if depth < self.max_depth:
                target, child_depth = node.replies, depth + 1
            else:
                target, child_depth = siblings, depth
            stack.extend(
                (child, child_depth, target) for child in reversed(children.get(row["id"], ()))
            )
        return threads

    def _index_thread(self, root, index):
        for node in root.in_reading_order():
            self._thread_index[node.row["id"]] = (index, node)

    def page(self, number):
        """A page of threads; a missing, malformed or too-large number gives first/last."""
        return Paginator(self.threads, self.per_page).get_page(number)

    def page_number_of(self, comment_id):
        """The page showing this comment, or None if this reader cannot see it."""
        found = self._thread_index.get(comment_id)
        return None if found is None else found[0] // self.per_page + 1

    def thread_of(self, comment_id):
        """The top of the thread this comment is in, or None if this reader cannot see it."""
        found = self._thread_index.get(comment_id)
        return None if found is None else self.threads[found[0]]

    def changeable_by_author(self, own_ids, now=None):
        """Which of `own_ids` (the reader's own comments, from their signed cookie) they
        may still edit or delete (Comment.may_be_changed_by_author): those this reader sees
        (approved, or held for them) posted within the edit window."""
        cutoff = (now or timezone.now()) - edit_window()
        return frozenset(
            pk
            for pk in own_ids
            if pk in self._thread_index and self._thread_index[pk][1].row["submitted_at"] > cutoff
        )

    def replyable(self, comment_id):
        """The comment readers may reply to with this id (approved, not too deep), as a
        ReplyTarget, or None."""
        found = self._thread_index.get(comment_id)
        if found is None or not found[1].can_reply:
            return None
        row = found[1].row
        return ReplyTarget(
            pk=row["id"], author_name=row["author_name"], excerpt=excerpt(row["body_html"])
        )


# Ends of blocks and line breaks, which must part words when the tags are taken out.
_BLOCK_ENDS = re.compile(r"<(?:/p|/li|/blockquote|/pre|br\s*/?)>", re.IGNORECASE)


def excerpt(body_html, words=EXCERPT_WORDS):
    """The first `words` words of a comment's (sanitised) HTML, as plain text."""
    text = html.unescape(strip_tags(_BLOCK_ENDS.sub(" ", body_html or "")))
    return Truncator(" ".join(text.split())).words(words, truncate="…")

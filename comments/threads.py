"""The reply tree of an article's comments, and its pages.

The tree is built in Python from where each comment is (PLACE_FIELDS: ids, parents,
statuses, dates, no text); what a comment says and who wrote it (DISPLAY_FIELDS) is read
for the comments of the page shown alone. A thread of 20,000 comments took 0.9 s to show
any page of when every comment's text and name were read for it.

Readers choose the order of the threads (ORDERS): the oldest first (the default, which
permalinks and the redirect after posting count pages in), the newest first, or the threads
with an editors' pick first. Replies always stay in the order they came, under what they
answer.

Pages hold top-level threads (a comment with all its replies), so a conversation is never
split across pages: settings.COMMENTS_PER_PAGE threads, fewer when they are long, so that
a page shows at most settings.COMMENTS_PAGE_MAX_COMMENTS comments (unless one thread alone
holds more). A busy article's oldest threads gather hundreds of replies: the first page of
one with 20,000 comments held 479 of them, 557 KB of HTML, before the limit.

Replies nest up to settings.COMMENTS_THREAD_DEPTH; deeper replies are shown at the deepest
level, after the comment they answer, as WordPress does.
"""

import bisect
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
# Enough to place a comment on its page in any order (the tree, the redirect after posting,
# editors' picks first): no names or text.
PLACE_FIELDS = ("id", "parent_id", "status", "submitted_at", "featured_at")
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


class _ThreadPages(Paginator):
    """Pages of threads that start where `starts` (indexes into `threads`) says."""

    def __init__(self, threads, starts):
        super().__init__(threads, per_page=max(len(threads), 1))
        self.starts = starts

    @property
    def num_pages(self):
        return len(self.starts)

    def page(self, number):
        number = self.validate_number(number)
        end = self.starts[number] if number < len(self.starts) else len(self.object_list)
        return self._get_page(self.object_list[self.starts[number - 1] : end], number, self)


def _readable(node):
    return "body_html" in node.row


class CommentThreads:
    def __init__(
        self,
        rows,
        *,
        max_depth=None,
        per_page=None,
        max_comments=None,
        held_replies_first=True,
        order=DEFAULT_ORDER,
    ):
        """`rows`: dicts of PLACE_FIELDS (or more), one per comment this reader may see;
        the rest of DISPLAY_FIELDS is read for a page's comments when it is shown.

        `held_replies_first`: a reader's own replies awaiting moderation come right under
        what they answer, so that after posting both are in view, however many replies
        came before. Moderators, who see every reply, read them in the order they came.
        """
        self.max_depth = max(max_depth or settings.COMMENTS_THREAD_DEPTH, 1)
        self.per_page = max(per_page or settings.COMMENTS_PER_PAGE, 1)
        self.max_comments = max(max_comments or settings.COMMENTS_PAGE_MAX_COMMENTS, 1)
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
        # The index of the first thread of each page.
        self._page_starts = [0]
        on_page = 0
        for index, root in enumerate(self.threads):
            size = self._index_thread(root, index)
            page_is_full = (
                index - self._page_starts[-1] >= self.per_page or on_page + size > self.max_comments
            )
            if page_is_full and index > self._page_starts[-1]:
                self._page_starts.append(index)
                on_page = 0
            on_page += size

    @classmethod
    def for_article(cls, article, own_pending_ids=(), *, highlighted=None, **options):
        """The threads one reader sees on an article: one query for the places, and one
        more for the comments of the page shown.

        (The approved comments' places alone, shared, are comments.fragments.comment_places.)
        `highlighted`: see CommentQuerySet.for_reader.
        """
        # Unordered: the rows are sorted here, and SQLite would sort them in a temporary
        # B-tree first.
        visible = Comment.objects.for_reader(
            own_pending_ids, highlighted=highlighted, article=article
        )
        return cls(visible.order_by().values(*PLACE_FIELDS), **options)

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
        """Index the thread's comments; how many there are."""
        size = 0
        for node in root.in_reading_order():
            self._thread_index[node.row["id"]] = (index, node)
            size += 1
        return size

    def page(self, number):
        """A page of threads, each comment's text and author read; a missing, malformed or
        too-large number gives the first or last page."""
        page = _ThreadPages(self.threads, self._page_starts).get_page(number)
        page.object_list = self.shown(page.object_list)
        return page

    def shown(self, threads):
        """`threads` (nodes from this tree) with every comment in them ready to show (see
        read_display). A comment deleted since the places were read is left out, with its
        replies."""
        nodes = [node for root in threads for node in root.in_reading_order()]
        self.read_display(nodes)
        for node in nodes:
            node.replies = [reply for reply in node.replies if _readable(reply)]
        return [root for root in threads if _readable(root)]

    @staticmethod
    def read_display(nodes):
        """Give `nodes` the DISPLAY_FIELDS not read yet, in one query for all."""
        missing = [node.row["id"] for node in nodes if not _readable(node)]
        if not missing:
            return
        rows = {
            row["id"]: row
            for row in Comment.objects.filter(pk__in=missing).order_by().values(*DISPLAY_FIELDS)
        }
        for node in nodes:
            if node.row["id"] in rows:
                # A new dict: place rows may be a shared fragment's, kept by this process.
                node.row = {**node.row, **rows[node.row["id"]]}

    def page_number_of(self, comment_id):
        """The page showing this comment, or None if this reader cannot see it."""
        found = self._thread_index.get(comment_id)
        return None if found is None else bisect.bisect_right(self._page_starts, found[0])

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
        self.read_display([found[1]])
        if not _readable(found[1]):
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

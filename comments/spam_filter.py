"""A spam filter that learns from the moderators, locally: no third-party service.

Naive Bayes over a comment's tokens (the words of its text, the words of its name, the
hosts it links to, its email domain), with token counts kept in the database
(`SpamToken`). Moderators teach it: every approve or spam decision (one change_status()
batch, bulk actions included) is learnt in one pass by a task once the decision has
committed (outside the moderator's request), the counts written by one bulk upsert;
`manage.py spam_filter train` learns the history (imported comments included) and
`manage.py spam_filter evaluate` measures it.

Scoring a comment costs one query (its tokens' counts and the totals, together). Above
COMMENTS_SPAM_FILTER_THRESHOLD it calls the comment spam; it never approves; until it has
learnt from COMMENTS_SPAM_FILTER_MIN_TRAINING spam and as many approved comments it
abstains.

**Spam checkers.** COMMENTS_SPAM_CHECKERS lists dotted paths of classes the moderation
policy builds with no arguments and asks, in order, after its fixed rules. A checker has

    check(comment) -> Verdict | None    # an unsaved Comment, ip_address and
                                        # user_agent set; None: no opinion
    learn(comments, *, is_spam)         # optional: moderators' decisions on a
                                        # queryset of comments (for Akismet:
                                        # submit-spam / submit-ham)

`Verdict(is_spam, score, note)`: `note` is a phrase that reads after "Spam: " (it becomes
the comment's reason when is_spam, and is added to the reason otherwise). An
Akismet-compatible checker maps comment-check's true/false to `Verdict(is_spam, None,
"Akismet calls it spam.")`; it should time out quickly and return None when the service
does not answer, so that posting never waits on it.
"""

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connections, models, router, transaction
from django.db.models import F
from django.utils.module_loading import import_string

from newsroom.db import insert_from_select

from .models import Comment, CommentStatusChange

# The row holding how many spam and approved comments were learnt; no token has a space.
MESSAGES = " messages"
MAX_TOKENS = 300
# Tokens whose probability is furthest from 0.5 decide, as in Paul Graham's "A Plan for
# Spam": a long, ordinary comment is not drowned out by its many neutral words.
STRONGEST = 15
SHOWN_IN_REASON = 5

WORD = re.compile(r"[^\W\d_][\w'’-]{1,29}")
LINK_HOST = re.compile(r"(?:https?://|www\.)([^\s/\"'<>?#]+)", re.IGNORECASE)


class SpamToken(models.Model):
    """How many spam and approved comments the filter learnt held this token."""

    token = models.CharField(max_length=100, primary_key=True)
    spam = models.IntegerField(default=0)
    ham = models.IntegerField("approved", default=0)

    class Meta:
        verbose_name = "spam filter token"

    def __str__(self):
        return self.token


class SpamTraining(models.Model):
    """What the filter learnt a comment was, so that a moderator's change of mind
    unlearns the first decision instead of counting the comment twice."""

    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, primary_key=True, related_name="spam_training"
    )
    is_spam = models.BooleanField()

    def __str__(self):
        return f"comment {self.comment_id}: {'spam' if self.is_spam else 'approved'}"


@dataclass(frozen=True)
class Verdict:
    is_spam: bool
    score: float | None
    note: str


def tokens_of(body, name="", url="", email=""):
    """The filter's view of a comment: a set of namespaced tokens."""
    tokens = {f"w:{word.lower()}" for word in WORD.findall(body)}
    tokens |= {f"n:{word.lower()}" for word in WORD.findall(name)}
    hosts = [match.lower().rstrip(".,;:!)") for match in LINK_HOST.findall(body)]
    if url:
        hosts.append((urlsplit(url if "//" in url else f"//{url}").hostname or "").lower())
    tokens |= {f"h:{host.removeprefix('www.')}" for host in hosts if host}
    if "@" in email:
        tokens.add(f"d:{email.rpartition('@')[2].strip().lower()}")
    return {token[:100] for token in sorted(tokens)[:MAX_TOKENS]}


def comment_tokens(comment):
    return tokens_of(comment.body, comment.author_name, comment.author_url, comment.author_email)


def _readable(token):
    kind, _, text = token.partition(":")
    return {"w": text, "n": f"name {text}", "h": f"link {text}", "d": f"@{text}"}[kind]


class Classifier:
    """Naive Bayes over token counts: {token: (spam, ham)} and the numbers learnt."""

    def __init__(self, counts, spam_messages, ham_messages):
        self.counts = counts
        self.spam_messages = spam_messages
        self.ham_messages = ham_messages

    def token_probability(self, token):
        """P(spam | token), pulled towards 0.5 when the token was seen rarely (Gary
        Robinson's correction), or None for a token never seen."""
        spam, ham = (max(0, n) for n in self.counts.get(token, (0, 0)))
        if spam + ham == 0:
            return None
        spam_rate = spam / max(self.spam_messages, 1)
        ham_rate = ham / max(self.ham_messages, 1)
        p = spam_rate / (spam_rate + ham_rate)
        strength = 1.0
        p = (strength * 0.5 + (spam + ham) * p) / (strength + spam + ham)
        return min(max(p, 0.01), 0.99)

    def score(self, tokens):
        """(the probability of spam, the strongest tokens with theirs), or (None, [])."""
        probabilities = [
            (token, p) for token in tokens if (p := self.token_probability(token)) is not None
        ]
        if not probabilities:
            return None, []
        strongest = sorted(probabilities, key=lambda item: (-abs(item[1] - 0.5), item[0]))[
            :STRONGEST
        ]
        log_odds = sum(math.log(p / (1 - p)) for _, p in strongest)
        log_odds = min(max(log_odds, -700), 700)
        return 1 / (1 + math.exp(-log_odds)), strongest


class SpamFilter:
    """The learning filter as a spam checker (see the module's docstring)."""

    def __init__(self, threshold=None, min_training=None):
        self.threshold = settings.COMMENTS_SPAM_FILTER_THRESHOLD if threshold is None else threshold
        self.min_training = (
            settings.COMMENTS_SPAM_FILTER_MIN_TRAINING if min_training is None else min_training
        )

    def check(self, comment):
        tokens = comment_tokens(comment)
        rows = SpamToken.objects.filter(token__in=[MESSAGES, *tokens]).values_list(
            "token", "spam", "ham"
        )
        counts = {token: (spam, ham) for token, spam, ham in rows}
        spam_messages, ham_messages = counts.pop(MESSAGES, (0, 0))
        if min(spam_messages, ham_messages) < self.min_training:
            return None
        score, strongest = Classifier(counts, spam_messages, ham_messages).score(tokens)
        if score is None:
            return None
        shown = ", ".join(
            _readable(token)
            for token, p in strongest[:SHOWN_IN_REASON]
            if (p > 0.5) == (score >= 0.5)
        )
        note = f"the spam filter scored it {score:.2f}" + (f" ({shown})." if shown else ".")
        return Verdict(score >= self.threshold, score, note)

    def learn(self, comments, *, is_spam):
        return learn(comments, is_spam=is_spam)


def learn(comments, *, is_spam):
    """Learn these comments as spam (or as approved) in a fixed number of queries, however
    many: one reads them, one upsert changes every token's counts, two record what each
    was learnt as. A comment learnt the other way before is unlearnt from that side first;
    one learnt the same way is skipped. Returns the number learnt."""
    rows = comments.order_by().values_list(
        "pk", "body", "author_name", "author_url", "author_email", "spam_training__is_spam"
    )
    deltas = defaultdict(lambda: [0, 0])
    side = 0 if is_spam else 1
    learnt = 0
    for _pk, body, name, url, email, was_spam in rows:
        if was_spam is is_spam:
            continue
        for token in tokens_of(body, name, url, email) | {MESSAGES}:
            deltas[token][side] += 1
            if was_spam is not None:
                deltas[token][1 - side] -= 1
        learnt += 1
    if not learnt:
        return 0
    db = router.db_for_write(SpamToken)
    # No savepoint of its own inside a moderation's transaction: two queries fewer.
    with transaction.atomic(using=db, savepoint=False):
        _add_counts(db, deltas)
        # The comments' own query, not wrapped in another "pk IN (...)": with a table
        # the planner believes empty (just analysed, as in a test database), PostgreSQL
        # ran each level as a nested loop over the whole table, and 2,000 comments took
        # longer than any moderator waits.
        trained = comments.using(db).order_by()
        SpamTraining.objects.using(db).filter(comment__in=trained.values("pk")).delete()
        # Every one of them is now learnt as is_spam (the skipped ones already were).
        insert_from_select(SpamTraining, trained, {"comment": F("pk"), "is_spam": is_spam})
    return learnt


def _add_counts(db, deltas):
    """Add each token's (spam, ham) delta to its counts in one INSERT ... ON CONFLICT DO
    UPDATE (SQLite 3.24+ and PostgreSQL alike), the rows passed as one JSON parameter:
    no query per token, nor per few hundred tokens."""
    connection = connections[db]
    quote = connection.ops.quote_name
    table = quote(SpamToken._meta.db_table)
    token, spam, ham = quote("token"), quote("spam"), quote("ham")
    if connection.vendor == "postgresql":
        rows = (
            "SELECT item->>0, (item->>1)::integer, (item->>2)::integer "
            "FROM jsonb_array_elements(%s::jsonb) AS item"
        )
    else:
        # "WHERE true": SQLite's parser needs it between a SELECT and ON CONFLICT.
        rows = (
            "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), "
            "json_extract(value, '$[2]') FROM json_each(%s) WHERE true"
        )
    sql = (  # noqa: S608  (names from the model, quoted; the rows one parameter)
        f"INSERT INTO {table} ({token}, {spam}, {ham}) {rows} "
        f"ON CONFLICT ({token}) DO UPDATE SET "
        f"{spam} = {table}.{spam} + excluded.{spam}, {ham} = {table}.{ham} + excluded.{ham}"
    )
    payload = json.dumps(
        [[name, spam_delta, ham_delta] for name, (spam_delta, ham_delta) in sorted(deltas.items())]
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [payload])


# The decisions a moderator makes that teach the checkers.
LEARNT_STATUSES = (Comment.Status.APPROVED, Comment.Status.SPAM)


def learns_from(to_status, changed_by):
    """Whether a status change teaches the checkers: a moderator's approve or spam, not
    the policy's own moves (held after reports, an author's edit)."""
    return changed_by is not None and to_status in LEARNT_STATUSES


def learn_from_moderation(batch, to_status):
    """Every checker that learns learns a moderator's decision: the comments of one
    change_status() batch that are still `to_status`. Run by a task after the decision
    committed (comments.tasks.learn_from_moderation), perhaps late or twice: a comment
    whose status changed since is not learnt the old way (its own decision teaches it),
    and one already learnt this way is skipped.
    """
    if to_status not in LEARNT_STATUSES:
        return
    comments = Comment.objects.filter(
        pk__in=CommentStatusChange.objects.batch(batch).values("comment_id"), status=to_status
    )
    for path in settings.COMMENTS_SPAM_CHECKERS:
        checker = import_string(path)
        if hasattr(checker, "learn"):
            checker().learn(comments, is_spam=to_status == Comment.Status.SPAM)


def decided_history():
    """Comments whose status a person decided: approved ones, and spam a moderator marked
    (or that came marked from an import), not spam the policy filed and no one checked."""
    return Comment.objects.filter(
        models.Q(status=Comment.Status.APPROVED)
        | models.Q(status=Comment.Status.SPAM, status_changed_at__isnull=False)
        | models.Q(status=Comment.Status.SPAM, wordpress_id__isnull=False)
    )


@dataclass(frozen=True)
class Evaluation:
    trained_on: int
    tested_on: int
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int

    @property
    def precision(self):
        called = self.true_positives + self.false_positives
        return self.true_positives / called if called else 1.0

    @property
    def recall(self):
        spam = self.true_positives + self.false_negatives
        return self.true_positives / spam if spam else 1.0


def evaluate(comments=None, *, hold_out_every=5, threshold=None):
    """Train a filter in memory on most of the past decisions and score the rest (every
    `hold_out_every`th comment by id): the counts in the database are not touched."""
    threshold = settings.COMMENTS_SPAM_FILTER_THRESHOLD if threshold is None else threshold
    comments = decided_history() if comments is None else comments
    rows = comments.order_by("pk").values_list(
        "pk", "status", "body", "author_name", "author_url", "author_email"
    )
    counts = defaultdict(lambda: [0, 0])
    messages = [0, 0]
    held_out = []
    for pk, status, body, name, url, email in rows.iterator(chunk_size=2000):
        tokens = tokens_of(body, name, url, email)
        is_spam = status == Comment.Status.SPAM
        if pk % hold_out_every == 0:
            held_out.append((is_spam, tokens))
            continue
        side = 0 if is_spam else 1
        messages[side] += 1
        for token in tokens:
            counts[token][side] += 1
    classifier = Classifier(counts, *messages)
    outcome = defaultdict(int)
    for is_spam, tokens in held_out:
        score, _ = classifier.score(tokens)
        called_spam = score is not None and score >= threshold
        outcome[(is_spam, called_spam)] += 1
    return Evaluation(
        trained_on=sum(messages),
        tested_on=len(held_out),
        true_positives=outcome[(True, True)],
        false_positives=outcome[(False, True)],
        false_negatives=outcome[(True, False)],
        true_negatives=outcome[(False, False)],
    )

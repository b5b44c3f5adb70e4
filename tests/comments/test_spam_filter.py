"""The spam filter that learns: tokens, learning from moderators, scoring, evaluation."""

import random

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.management import call_command
from django.db import OperationalError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, SpamToken, SpamTraining
from comments.moderation import CommentModerator, SubmissionEvidence
from comments.spam_filter import MESSAGES, SpamFilter, evaluate, learn, tokens_of
from tests.admin.conftest import staff_in
from tests.factories import ArticleFactory, CommentFactory, PendingCommentFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")
HUMAN = SubmissionEvidence(timestamp_valid=True, seconds_to_submit=60)

# Word lists written as prose, split once.
NEWS = (  # noqa: SIM905
    "council budget vote meeting road school library park housing rent bus lane "
    "residents neighbours planning hospital nurses teachers pupils parents history "
    "river bridge flood repair election candidate mayor ward shop market"
).split()
OPINION = (  # noqa: SIM905
    "think agree disagree remember wonder hope worried glad sorry surprised honestly "
    "really perhaps maybe last year years ago my our we"
).split()
SPAM = (  # noqa: SIM905
    "cheap pills casino bonus viagra loan crypto investment guaranteed winner free "
    "offer discount pharmacy replica watches bitcoin profit click earn"
).split()
COMMON = "the and a to of in is it for on this that with".split()  # noqa: SIM905
SPAM_HOSTS = ["cheap-pills.example", "casino-bonus.example", "crypto-profit.example"]


def generated_corpus(article, count=120, seed=20):
    """Comments as a newsroom sees them: readers on local news, spammers selling; some
    of each borrow the other's words, so the filter cannot be perfect."""
    rng = random.Random(seed)
    rows = []
    for n in range(count):
        words = rng.choices(NEWS, k=12) + rng.choices(OPINION, k=5) + rng.choices(COMMON, k=8)
        if rng.random() < 0.2:
            words += rng.choices(SPAM, k=1)  # "free parking", "a loan from the council"
        rng.shuffle(words)
        rows.append(
            Comment(
                article=article,
                author_name=f"Reader {n}",
                author_email=f"reader{n}@{rng.choice(['mail.example', 'post.example'])}",
                body=" ".join(words).capitalize() + ".",
                status=Comment.Status.APPROVED,
                status_changed_at=timezone.now(),
            )
        )
    for n in range(count):
        words = rng.choices(SPAM, k=8) + rng.choices(COMMON, k=6)
        if rng.random() < 0.3:
            words += rng.choices(NEWS, k=3)
        rng.shuffle(words)
        host = rng.choice(SPAM_HOSTS)
        # Many a spammer looks like a reader but for the words: a webmail address, a
        # plain name, no link.
        disguised = rng.random() < 0.4
        rows.append(
            Comment(
                article=article,
                author_name=f"Reader {count + n}"
                if disguised
                else rng.choice(["Best Deals", "Cheap Pills", f"Winner {n}"]),
                author_email=f"r{n}@mail.example" if disguised else f"promo{n}@{host}",
                author_url="" if disguised else f"https://{host}/",
                body=" ".join(words) + ("" if disguised else f" https://{host}/offer"),
                status=Comment.Status.SPAM,
                status_changed_at=timezone.now(),
            )
        )
    for comment in rows:
        comment.body_html = comment.body
    Comment.objects.bulk_create(rows)


def trained_filter(**options):
    article = ArticleFactory()
    generated_corpus(article, count=40)
    learn(Comment.objects.spam(), is_spam=True)
    learn(Comment.objects.approved(), is_spam=False)
    return SpamFilter(**{"threshold": 0.9, "min_training": 20, **options})


def new_comment(body, **fields):
    return Comment(
        article=ArticleFactory(),
        author_name=fields.pop("author_name", "Maria"),
        author_email=fields.pop("author_email", "maria@mail.example"),
        body=body,
        **fields,
    )


def counts(token):
    row = SpamToken.objects.filter(token=token).values_list("spam", "ham").first()
    return row or (0, 0)


def test_tokens_are_the_words_the_name_the_link_hosts_and_the_email_domain():
    tokens = tokens_of(
        "Cheap PILLS at https://www.Pills.example/buy now",
        name="Best Deals",
        url="https://deals.example/x",
        email="promo@Spam.example",
    )

    assert {"w:cheap", "w:pills", "n:best", "n:deals"} <= tokens
    assert {"h:pills.example", "h:deals.example", "d:spam.example"} <= tokens


def test_the_filter_evaluated_on_a_generated_corpus_is_precise():
    generated_corpus(ArticleFactory(), count=150)

    result = evaluate(hold_out_every=5, threshold=0.9)
    print(f"precision {result.precision:.3f}, recall {result.recall:.3f}, {result}")

    assert result.tested_on == 60
    assert result.trained_on == 240
    # A false positive costs a reader's comment: precision is the floor that matters.
    assert result.precision >= 0.95
    assert result.recall >= 0.8


def test_a_moderators_bulk_spam_and_approve_teach_the_filter(django_capture_on_commit_callbacks):
    spam = PendingCommentFactory.create_batch(2, body="Cheap casino bonus")
    ham = PendingCommentFactory.create_batch(3, body="The council meeting")
    client = Client()
    client.force_login(staff_in("Moderators", username="moderator"))
    for action, chosen in (("mark_spam", spam), ("approve", ham)):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                f"{QUEUE}?status=all",
                {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in chosen]},
            )

    assert counts(MESSAGES) == (2, 3)
    assert counts("w:casino") == (2, 0)
    assert counts("w:council") == (0, 3)
    assert SpamTraining.objects.filter(is_spam=True).count() == 2


def test_the_filter_learns_a_decision_only_once_it_has_committed(
    django_capture_on_commit_callbacks,
):
    moderator = staff_in("Moderators", username="moderator")
    comment = PendingCommentFactory(body="Cheap casino bonus")

    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        comment.mark_spam(by=moderator)
        learnt_in_the_transaction = counts("w:casino")
    for callback in after_commit:
        callback()

    assert learnt_in_the_transaction == (0, 0)
    assert counts("w:casino") == (1, 0)


def test_a_decision_rolled_back_teaches_nothing(django_capture_on_commit_callbacks):
    moderator = staff_in("Moderators", username="moderator")
    comment = PendingCommentFactory(body="Cheap casino bonus")

    with django_capture_on_commit_callbacks(execute=True) as after_commit:
        try:
            with transaction.atomic():
                comment.mark_spam(by=moderator)
                raise RuntimeError("the request failed after the decision")
        except RuntimeError:
            pass

    assert after_commit == []
    assert not SpamToken.objects.exists()


def test_a_decision_reversed_before_its_task_runs_is_not_learnt_the_old_way(
    django_capture_on_commit_callbacks,
):
    moderator = staff_in("Moderators", username="moderator")
    comment = PendingCommentFactory(body="Free parking at the council")
    with django_capture_on_commit_callbacks(execute=False) as approved:
        comment.approve(by=moderator)
    with django_capture_on_commit_callbacks(execute=False) as marked_spam:
        comment.mark_spam(by=moderator)

    # The spam decision's task runs first, the approval's late (a retry, a slow worker).
    for callback in marked_spam + approved:
        callback()

    assert counts("w:parking") == (1, 0)
    assert counts(MESSAGES) == (1, 0)
    assert SpamTraining.objects.get(comment=comment).is_spam


def test_a_decisions_task_run_twice_learns_it_once(django_capture_on_commit_callbacks):
    moderator = staff_in("Moderators", username="moderator")
    comment = PendingCommentFactory(body="Free parking at the council")
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        comment.approve(by=moderator)

    for callback in after_commit + after_commit:
        callback()

    assert counts("w:parking") == (0, 1)
    assert counts(MESSAGES) == (0, 1)


def test_a_change_of_mind_unlearns_the_first_decision(django_capture_on_commit_callbacks):
    moderator = staff_in("Moderators", username="moderator")
    comment = PendingCommentFactory(body="Free parking at the council")
    with django_capture_on_commit_callbacks(execute=True):
        comment.mark_spam(by=moderator)
    assert counts("w:parking") == (1, 0)

    with django_capture_on_commit_callbacks(execute=True):
        comment.approve(by=moderator)

    assert counts("w:parking") == (0, 1)
    assert counts(MESSAGES) == (0, 1)


def test_the_same_decision_twice_is_learnt_once(django_capture_on_commit_callbacks):
    moderator = staff_in("Moderators", username="moderator")
    comment = PendingCommentFactory(body="Casino")
    with django_capture_on_commit_callbacks(execute=True):
        comment.mark_spam(by=moderator)
        comment.restore(by=moderator)
        comment.mark_spam(by=moderator)

    assert counts("w:casino") == (1, 0)


def test_the_policys_own_moves_teach_nothing(django_capture_on_commit_callbacks):
    comment = CommentFactory(body="Casino")

    with django_capture_on_commit_callbacks(execute=True):
        comment.restore(note="Held after reader reports.")
        comment.mark_spam(note="Edited by its author. Spam: a link.")

    assert not SpamToken.objects.exists()


# Committed for real: the task runs after the decision's transaction, as in production.
@pytest.mark.django_db(transaction=True)
def test_learning_that_fails_is_logged_and_retried_and_the_decision_stands(
    real_queue, monkeypatch, settings, caplog
):
    settings.COMMENTS_NOTIFY_MODERATORS = False  # no mail task on the queue before ours
    # (A flushed database may have no Moderators group: any user decides here.)
    moderator = UserFactory(username="moderator", is_staff=True)
    comment = PendingCommentFactory(body="Cheap casino bonus")
    learn_for_real = SpamFilter.learn

    def database_gone(self, comments, *, is_spam):
        raise OperationalError("the connection to the server was lost")

    monkeypatch.setattr(SpamFilter, "learn", database_gone)
    comment.mark_spam(by=moderator)
    # What the consumer does: run the task, which fails.
    real_queue.execute(real_queue.dequeue())

    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM
    assert comment.status_changes.get().to_status == Comment.Status.SPAM
    assert "The spam filter could not learn decision" in caplog.text
    assert not SpamToken.objects.exists()
    [retry] = real_queue.read_schedule(retry_time := real_queue.scheduled()[0].eta)

    # A minute later the database answers again, and the retry learns the decision.
    monkeypatch.setattr(SpamFilter, "learn", learn_for_real)
    real_queue.execute(retry, timestamp=retry_time)

    assert counts("w:casino") == (1, 0)
    assert real_queue.pending_count() == real_queue.scheduled_count() == 0


def test_learning_a_batch_takes_the_same_queries_for_10_or_200_comments(
    django_assert_num_queries,
):
    article = ArticleFactory()
    generated_corpus(article, count=105)
    ten = Comment.objects.spam().order_by("pk")[:10].values("pk")
    many = Comment.objects.spam().order_by("pk")[10:105].values("pk")
    # Read, upsert the counts, forget and record what was learnt.
    with django_assert_num_queries(4):
        learn(Comment.objects.filter(pk__in=ten), is_spam=True)
    with django_assert_num_queries(4):
        learn(Comment.objects.filter(pk__in=many), is_spam=True)
    assert counts(MESSAGES) == (105, 0)


def test_scoring_a_comment_takes_one_query(django_assert_num_queries):
    checker = trained_filter()
    comment = new_comment("cheap casino bonus pills")

    with django_assert_num_queries(1):
        verdict = checker.check(comment)

    assert verdict.is_spam


def test_spam_goes_to_spam_with_the_score_and_strongest_tokens_in_the_reason():
    checker = trained_filter()
    comment = new_comment("Cheap pills, casino bonus https://cheap-pills.example/x")

    decision = CommentModerator(spam_checkers=[checker]).moderate(comment, HUMAN)

    assert decision.status == Comment.Status.SPAM
    assert decision.reason.startswith("Spam: the spam filter scored it 1.00 (")
    assert "link cheap-pills.example" in decision.reason or "casino" in decision.reason


def test_the_filter_never_approves_it_only_notes_its_score():
    checker = trained_filter()
    comment = new_comment("The council vote on the library budget, I think residents agree.")

    decision = CommentModerator(spam_checkers=[checker]).moderate(comment, HUMAN)

    assert decision.status == Comment.Status.PENDING
    assert decision.reason.startswith("Held for moderation: every new comment is. The spam filter")
    assert "scored it 0.0" in decision.reason


def test_the_filter_abstains_until_it_has_learnt_enough():
    checker = trained_filter(min_training=41)

    assert checker.check(new_comment("cheap casino bonus pills")) is None


def test_a_spam_comment_posted_is_caught_by_the_trained_filter(
    post_comment, settings, instant_posting
):
    settings.COMMENTS_SPAM_CHECKERS = ["comments.spam_filter.SpamFilter"]
    settings.COMMENTS_SPAM_FILTER_MIN_TRAINING = 20
    settings.COMMENTS_SPAM_FILTER_THRESHOLD = 0.9
    trained_filter()
    article = ArticleFactory()

    response = post_comment(article, comment="cheap casino bonus pills", name="Cheap Pills")

    assert response.status_code == 303
    stored = Comment.objects.latest("pk")
    assert stored.status == Comment.Status.SPAM
    assert "spam filter scored it" in stored.moderation_reason


def test_train_command_learns_the_history_once(capsys):
    generated_corpus(ArticleFactory(), count=10)
    PendingCommentFactory(body="Pending is not history")

    call_command("spam_filter", "train")
    call_command("spam_filter", "train")

    assert counts(MESSAGES) == (10, 10)
    assert "Learnt 0 spam comments (10 in the history)." in capsys.readouterr().out


def test_evaluate_command_prints_precision_and_recall(capsys):
    generated_corpus(ArticleFactory(), count=50)

    call_command("spam_filter", "evaluate")

    out = capsys.readouterr().out
    assert "Trained on 80 decisions, tested on 20." in out
    assert "Precision: " in out and "Recall: " in out
    assert not SpamToken.objects.exists()

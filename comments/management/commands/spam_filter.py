"""manage.py spam_filter train | evaluate: teach the learning spam filter the site's past
decisions, or measure it on them (see comments/spam_filter.py)."""

from django.core.management.base import BaseCommand, CommandError

from comments import spam_filter
from comments.models import Comment

CHUNK = 2000


class Command(BaseCommand):
    help = (
        "train: learn every approved comment and every spam comment a moderator marked (or "
        "an import brought) not learnt yet. evaluate: train a filter in memory on most of "
        "those decisions and print its precision and recall on the rest."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["train", "evaluate"])
        parser.add_argument(
            "--reset", action="store_true", help="train: forget everything learnt first"
        )
        parser.add_argument(
            "--hold-out-every",
            type=int,
            default=5,
            help="evaluate: test on every Nth comment by id, train on the rest (default 5)",
        )
        parser.add_argument(
            "--threshold", type=float, default=None, help="evaluate: the spam score to test"
        )

    def handle(self, *args, action, reset, hold_out_every, threshold, **options):
        if action == "train":
            self.train(reset)
        else:
            if hold_out_every < 2:
                raise CommandError("--hold-out-every must be 2 or more.")
            self.evaluate(hold_out_every, threshold)

    def train(self, reset):
        if reset:
            spam_filter.SpamToken.objects.all().delete()
            spam_filter.SpamTraining.objects.all().delete()
        history = spam_filter.decided_history()
        for is_spam, label in ((True, "spam"), (False, "approved")):
            status = Comment.Status.SPAM if is_spam else Comment.Status.APPROVED
            ids = list(history.filter(status=status).order_by("pk").values_list("pk", flat=True))
            learnt = 0
            for start in range(0, len(ids), CHUNK):
                chunk = Comment.objects.filter(pk__in=ids[start : start + CHUNK])
                learnt += spam_filter.learn(chunk, is_spam=is_spam)
            self.stdout.write(f"Learnt {learnt} {label} comments ({len(ids)} in the history).")

    def evaluate(self, hold_out_every, threshold):
        result = spam_filter.evaluate(hold_out_every=hold_out_every, threshold=threshold)
        self.stdout.write(
            f"Trained on {result.trained_on} decisions, tested on {result.tested_on}.\n"
            f"Spam caught: {result.true_positives}, missed: {result.false_negatives}; "
            f"approved comments called spam: {result.false_positives}, "
            f"left alone: {result.true_negatives}.\n"
            f"Precision: {result.precision:.3f}\nRecall: {result.recall:.3f}"
        )

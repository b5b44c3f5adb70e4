from django.conf import settings
from django.core.management.base import BaseCommand

from comments.models import Comment


class Command(BaseCommand):
    help = (
        "Delete spam and removed comments moderated more than --days ago (default "
        "COMMENTS_PURGE_AFTER_DAYS, 30), as WordPress empties its trash. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.COMMENTS_PURGE_AFTER_DAYS)
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many would go; delete nothing."
        )

    def handle(self, *, days, dry_run, **options):
        purgeable = Comment.objects.purgeable(days=days)
        if dry_run:
            count = purgeable.count()
            self.stdout.write(f"{count} comment(s) would be purged (older than {days} days).")
            return
        count = purgeable.purge()
        self.stdout.write(f"{count} comment(s) purged (older than {days} days).")

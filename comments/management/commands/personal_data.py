import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from comments.models import Comment, Sanction
from comments.subscriptions import Subscriber


class Command(BaseCommand):
    help = (
        "A commenter's personal data, as WordPress's privacy tools handle it: "
        "`export EMAIL` prints every comment written with EMAIL as JSON; "
        "`erase EMAIL [--remove-text]` anonymises them. Both include EMAIL's comment "
        "notification subscriptions and confirmation; erase unsubscribes and deletes them."
    )

    def add_arguments(self, parser):
        parser.add_argument("operation", choices=["export", "erase"])
        parser.add_argument("email")
        parser.add_argument(
            "--remove-text",
            action="store_true",
            help="erase: also replace the comments' text (kept by default).",
        )

    def handle(self, *, operation, email, remove_text, **options):
        if "@" not in email:
            raise CommandError(f"{email!r} is not an email address.")
        comments = Comment.objects.by_emails([email])
        subscriber = Subscriber.objects.by_email(email).first()
        if operation == "export":
            data = {
                "email": email,
                "comments": comments.export_personal_data(),
                "notifications": subscriber.export_personal_data() if subscriber else None,
                "sanctions": Sanction.objects.export_personal_data([email]),
            }
            self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, indent=2))
            return
        if subscriber is not None:
            # Its subscriptions, confirmation and notification records go with it.
            subscriber.delete()
            self.stdout.write(f"Unsubscribed {email} and deleted its notification records.")
        if not comments.exists():
            self.stdout.write(f"No comments by {email}.")
            return
        erased = comments.erase_personal_data(remove_text=remove_text)
        self.stdout.write(f"Personal data erased from {erased} comment(s) by {email}.")

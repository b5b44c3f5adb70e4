"""Believable reader comments on the demo articles from load_demo_content. Idempotent."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from comments.models import Comment

APPROVED = Comment.Status.APPROVED
PENDING = Comment.Status.PENDING

# (key, replying to, name, email, website, status, text). Our own invented wording.
CONVERSATION = [
    (
        "ines",
        None,
        "Inês Carvalho",
        "ines.carvalho@readers.example",
        "",
        APPROVED,
        "I live two streets from the new crossing and the difference at school pick-up "
        "is remarkable.\n\nThank you for following this story beyond the opening day.",
    ),
    (
        "daniel",
        "ines",
        "Daniel Osei",
        "daniel.osei@readers.example",
        "https://danielosei.example/",
        APPROVED,
        "Same here, although the lights still take an age to change on Saturday "
        "mornings. Has anyone written to the council about the timing?",
    ),
    (
        "ines-again",
        "daniel",
        "Inês Carvalho",
        "ines.carvalho@readers.example",
        "",
        APPROVED,
        "I did, last month. They replied that the timings are reviewed <em>every "
        "quarter</em>, so a second letter in the new year might be worth it.",
    ),
    (
        "marcus",
        None,
        "Marcus Webb",
        "marcus.webb@readers.example",
        "",
        APPROVED,
        "Useful piece. It would help to see the figures for the years before the scheme "
        "began, so readers can compare like with like.",
    ),
    (
        "priya",
        None,
        "Priya Raman",
        "priya.raman@readers.example",
        "",
        APPROVED,
        "The photograph of the old bridge brought back memories: my grandfather crossed "
        "it on his bicycle every working day for forty years.",
    ),
    (
        "tom",
        None,
        "Tom Becker",
        "tom.becker@readers.example",
        "",
        PENDING,
        "Does anyone know whether the consultation is still open? I could not find the "
        "form on the council's website.",
    ),
]

SECOND_ARTICLE = [
    (
        "hannah",
        None,
        "Hannah Lindqvist",
        "hannah.lindqvist@readers.example",
        "",
        APPROVED,
        "A fair summary of a long evening. The point about volunteers deserved a "
        "headline of its own.",
    ),
    (
        "marcus-2",
        "hannah",
        "Marcus Webb",
        "marcus.webb@readers.example",
        "",
        APPROVED,
        "Agreed. Without the volunteers the library would have closed two years ago.",
    ),
]


class Command(BaseCommand):
    help = "Add demo reader comments to the demo articles (safe to run again)."

    def handle(self, *args, **options):
        articles = list(Article.objects.published().order_by("-published_at", "-id")[:2])
        if not articles:
            self.stdout.write("No published articles, so no demo comments were added.")
            return
        added = 0
        with transaction.atomic():
            for article, conversation in zip(
                articles, (CONVERSATION, SECOND_ARTICLE), strict=False
            ):
                added += self._add(article, conversation)
        titles = ", ".join(f"“{article.title}”" for article in articles)
        self.stdout.write(f"Added {added} demo comments on {titles}.")

    def _add(self, article, conversation):
        now = timezone.now()
        # Spread the conversation over the time since publication (at most two days).
        span = min(now - article.published_at, timedelta(days=2))
        added = 0
        by_key = {}
        for position, (key, reply_to, name, email, website, status, text) in enumerate(
            conversation, start=1
        ):
            comment, created = Comment.objects.get_or_create(
                article=article,
                author_email=email,
                body=text,
                defaults={
                    "parent": by_key.get(reply_to),
                    "author_name": name,
                    "author_url": website,
                    "status": status,
                    "moderation_reason": "Demo content.",
                    "submitted_at": article.published_at
                    + span * position / (len(conversation) + 1),
                },
            )
            by_key[key] = comment
            added += created
        return added

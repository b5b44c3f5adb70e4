from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .media import Image  # noqa: F401  (the media library's model, in its own module)
from .pages import Page  # noqa: F401  (static pages, in their own module)
from .sanitizer import sanitize_article_html
from .signals import publication_changed


class Author(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    bio = models.TextField("short bio", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
    )
    notify_on_approved_comment = models.BooleanField(
        "email me when a comment on my article is approved",
        default=False,
        help_text="Sent to the linked user's email address.",
    )
    # The WordPress login this author was imported from, so a re-import finds them again.
    wordpress_login = models.CharField(max_length=60, blank=True, db_index=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})

    def linkable_accounts(self, by):
        """The accounts `by` may link to this author profile.

        A superuser may link any. Anyone else only themselves or a staff account with no
        profile of its own that is not a superuser: a byline must not become a way to
        take over, or speak for, an account with more rights. The account already linked
        stays a choice, so the rest of the profile can still be edited.
        """
        accounts = get_user_model().objects.all()
        if by.is_superuser:
            return accounts
        allowed = Q(pk=by.pk) | Q(is_staff=True, is_superuser=False, author_profile__isnull=True)
        if self.user_id is not None:
            allowed |= Q(pk=self.user_id)
        return accounts.filter(allowed)


class Category(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """What readers may see: published, and not scheduled for later.

        The one definition of visibility: every public view, feed and sitemap uses it.
        """
        now = now or timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now)

    def unprotected(self):
        """Without a password: what may be shown in full to anyone, in feeds, the sitemap
        and search (a protected article shows readers its title and a password form)."""
        return self.filter(password="")

    def lead_story(self, now=None):
        """The story the front page leads with: the newest published one editors marked
        as the lead story, else None (then the newest leads)."""
        return self.published(now).filter(is_lead_story=True).order_by("-published_at", "-id")

    def scheduled(self, now=None):
        now = now or timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=now)

    def drafts(self):
        return self.filter(status=Article.Status.DRAFT)

    def publish(self, now=None):
        """Publish these articles: undated ones now, dated ones at their date (maybe later).

        Returns the number of articles that were drafts.
        """
        now = now or timezone.now()
        drafts = self.filter(status=Article.Status.DRAFT)
        with transaction.atomic():
            count = drafts.count()
            drafts.filter(published_at__isnull=True).update(
                status=Article.Status.PUBLISHED, published_at=now, updated_at=now
            )
            drafts.update(status=Article.Status.PUBLISHED, updated_at=now)
            publication_changed.send(sender=Article)
        return count

    def unpublish(self):
        """Back to draft, keeping the date, so publishing again restores the permalink."""
        count = self.exclude(status=Article.Status.DRAFT).update(
            status=Article.Status.DRAFT, updated_at=timezone.now()
        )
        publication_changed.send(sender=Article)
        return count

    def with_bylines(self):
        """Authors (in byline order), category and featured image in a fixed number of
        queries (an image's renditions are kept on its row)."""
        return self.select_related("category", "featured_image").prefetch_related(
            _bylines_in_order()
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    standfirst = models.TextField(
        blank=True, help_text="The summary shown under the headline and on the front page."
    )
    body = models.TextField(
        blank=True,
        help_text="HTML. Headings, paragraphs, lists, links, images, quotes, figures and "
        "tables are kept; anything else is removed on save.",
    )
    authors = models.ManyToManyField(
        Author, through="ArticleAuthor", related_name="articles", blank=True
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    featured_image = models.ForeignKey(
        "articles.Image",
        null=True,
        blank=True,
        # An image shown as an article's lead is not deleted from under it.
        on_delete=models.PROTECT,
        related_name="featured_in",
        help_text="Shown with the article, on listings, and when the article is shared.",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="A future date schedules the article: readers see it from then on.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    original_outlet = models.CharField(
        "originally published at", max_length=200, blank=True, help_text="For republished pieces."
    )
    original_url = models.URLField("original URL", max_length=500, blank=True)
    comments_open = models.BooleanField(default=True)
    is_lead_story = models.BooleanField(
        "lead story",
        default=False,
        help_text="The front page leads with the newest published lead story, larger; "
        "with none, the newest story leads.",
    )
    # Kept as given, as WordPress keeps post passwords: editors read it back to pass it
    # on, and an imported post keeps the one its readers were told. It guards an
    # article, not an account; the unlock cookie carries only a digest of it.
    password = models.CharField(
        max_length=255,
        blank=True,
        help_text="Readers see the headline and a password form until they enter it. "
        "Kept out of feeds, the sitemap and search.",
    )
    # Where the article came from in a WordPress import, so old links keep working.
    wordpress_id = models.PositiveBigIntegerField(null=True, blank=True, unique=True)
    wordpress_path = models.CharField(max_length=500, blank=True, db_index=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_article_has_date",
            ),
        ]
        indexes = [
            # Listings in their order, the id included so that a deep page finds its ids
            # from the index alone (articles/pagination.py). Also walked both ways from an
            # article for its previous and next, and by the date archives.
            models.Index(fields=["status", "-published_at", "-id"], name="article_listing"),
            # The same for a section's pages.
            models.Index(
                fields=["category", "status", "-published_at", "-id"], name="article_section"
            ),
            # The front page's lead story: the few marked, not a walk through every article.
            models.Index(
                fields=["-published_at"], condition=Q(is_lead_story=True), name="article_leads"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_article_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.published_at is None:
            return reverse("articles:preview", kwargs={"pk": self.pk})
        day = timezone.localtime(self.published_at).date()
        return reverse("articles:detail", kwargs=permalink_kwargs(day, self.slug))

    def staff_url(self):
        """Where staff see this article: its permalink once readers can, its preview before.

        None for an article not saved yet, which has neither.
        """
        if self.pk is None:
            return None
        if self.is_published:
            return self.get_absolute_url()
        return reverse("articles:preview", args=[self.pk])

    def clean(self):
        if self.status == self.Status.PUBLISHED and not self.published_at:
            raise ValidationError({"published_at": "A published article needs a date."})
        if self.original_url and not self.original_outlet:
            raise ValidationError({"original_outlet": "Name the outlet the piece came from."})

    def may_be_previewed_by(self, user):
        """Whether `user` may read this article at its preview: an article readers cannot
        see yet only with the article view permission (editors), one they can by any staff
        (a pending comment's admin link leads moderators there)."""
        return self.is_published or user.has_perm("articles.view_article")

    def may_be_edited_by(self, user):
        """Whether `user` may edit this article in the admin (and is shown its Edit link)."""
        return user.is_active and user.is_staff and user.has_perm("articles.change_article")

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and (self.published_at <= timezone.now())
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and (self.published_at > timezone.now())
        )

    @property
    def editorial_state(self):
        """'Draft', 'Scheduled' or 'Published', as editors speak of it."""
        if self.is_scheduled:
            return "Scheduled"
        return self.get_status_display()

    @property
    def is_protected(self):
        return bool(self.password)

    def previous_published(self):
        """The published article just before this one (by date), or None."""
        older = Q(published_at__lt=self.published_at) | Q(
            published_at=self.published_at, pk__lt=self.pk
        )
        # The plain bound lets the index start its walk at this article.
        candidates = Article.objects.published().filter(published_at__lte=self.published_at)
        return candidates.filter(older).order_by("-published_at", "-id").first()

    def next_published(self):
        """The published article just after this one (by date), or None."""
        newer = Q(published_at__gt=self.published_at) | Q(
            published_at=self.published_at, pk__gt=self.pk
        )
        candidates = Article.objects.published().filter(published_at__gte=self.published_at)
        return candidates.filter(newer).order_by("published_at", "id").first()

    def load_bylines(self):
        """Fetch this article's category and byline authors, as with_bylines() does for a
        queryset (nothing is fetched twice)."""
        Article.load_bylines_of([self])

    @staticmethod
    def load_bylines_of(articles):
        """load_bylines() for a list of articles, in one query for all their bylines."""
        models.prefetch_related_objects(articles, "category", "featured_image", _bylines_in_order())

    @property
    def byline_authors(self):
        """Authors in byline order; uses the prefetch from with_bylines() when present."""
        return [byline.author for byline in self.bylines.all()]

    @property
    def byline(self):
        """The authors' names as readers say them: 'A', 'A and B', 'A, B and C'."""
        return "".join(f"{joint}{author.name}" for joint, author in self.byline_parts)

    @property
    def byline_parts(self):
        """(joint, author) in byline order, the joint being what goes before the author's
        name in the byline: '', ', ' or ' and ' (for a byline whose names are links)."""
        authors = self.byline_authors
        last = len(authors) - 1
        return [
            ("" if position == 0 else " and " if position == last else ", ", author)
            for position, author in enumerate(authors)
        ]

    def comments_are_open(self, now=None):
        """Whether readers may comment now: per article, and the optional auto-close."""
        if not self.comments_open:
            return False
        days = settings.COMMENTS_CLOSE_AFTER_DAYS
        if days and self.published_at is not None:
            now = now or timezone.now()
            return now < self.published_at + timedelta(days=days)
        return True


def permalink_kwargs(day, slug):
    """The parts of a published article's address (articles:detail): `day`, the date it
    was published on in the site's time zone, and its slug. The sitemap builds many
    addresses from them without an Article."""
    return {"year": day.year, "month": f"{day.month:02d}", "day": f"{day.day:02d}", "slug": slug}


def _bylines_in_order():
    return models.Prefetch(
        "bylines", queryset=ArticleAuthor.objects.select_related("author").order_by("position")
    )


class ArticleAuthor(models.Model):
    """An author's place in an article's byline."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="unique_author_per_article")
        ]

    def __str__(self):
        return f"{self.author} on {self.article}"

"""Static pages (About, Contact, Corrections, Ethics policy …): a title and a body at a path
of their own, nested under a parent page (/about/team/), published or a draft.

Like django.contrib.flatpages, served by a catch-all URL placed last (newsroom/urls.py), so
that a page never shadows a route; unlike it, the body goes through the articles'
sanitiser on every save, pages nest, and a top-level slug that would sit on one of the
site's own addresses is refused in clean().
"""

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

from .sanitizer import sanitize_article_html

# The catch-all route that serves pages (articles.urls.pages_urlpatterns, last of the site's).
PAGE_VIEW_NAME = "pages:page"
PAGES_NAMESPACE = "pages"
PATH_MAX_LENGTH = 500


class PageQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: the one definition, for the page view, sitemap and footer."""
        return self.filter(status=Page.Status.PUBLISHED)


class Page(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200,
        allow_unicode=True,
        help_text="The last part of the page's address: /parent/this-slug/.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        # A page with pages under it is not deleted from under them.
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Nests the page's address under another page's (/about/team/).",
    )
    # The whole address without its slashes ("about/team"), kept by save() from the parent's
    # and the slug, so that serving a page is one indexed lookup.
    path = models.CharField(max_length=PATH_MAX_LENGTH, unique=True, editable=False)
    body = models.TextField(
        blank=True,
        help_text="HTML. Headings, paragraphs, lists, links, images, quotes, figures and "
        "tables are kept; anything else is removed on save.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=models.Q(parent=None), name="unique_top_level_slug"
            ),
            models.UniqueConstraint(fields=["parent", "slug"], name="unique_slug_under_parent"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_article_html(self.body)
        old_path = self.path
        self.path = self.path_under_parent()
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                # The pages under it move with it (each save moves its own children).
                for child in self.children.all():
                    child.save(update_fields=["path"])

    def get_absolute_url(self):
        return reverse(PAGE_VIEW_NAME, kwargs={"path": self.path})

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def ancestors(self):
        """The pages above this one, the top-level one first (for the breadcrumb)."""
        parts = self.path.split("/")[:-1]
        prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
        if not prefixes:
            return []
        return list(Page.objects.filter(path__in=prefixes).only("title", "path").order_by("path"))

    def clean(self):
        if self.parent_id is not None and self.pk is not None:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": "A page cannot be placed under itself."})
                ancestor = ancestor.parent
        if self.parent_id is None and self.slug:
            route = shadowed_route(self.slug)
            if route is not None:
                raise ValidationError(
                    {
                        "slug": f"/{self.slug}/ is one of the site's own addresses ({route}): "
                        "choose another slug, or place the page under a parent page."
                    }
                )
        if self.slug and len(self.path_under_parent()) > PATH_MAX_LENGTH:
            raise ValidationError({"slug": "The page's whole address is too long."})

    def path_under_parent(self):
        return f"{self.parent.path}/{self.slug}" if self.parent_id else self.slug


@functools.lru_cache(maxsize=1)
def _reserved_first_segments(urlconf_id):
    """The literal first path segments of the site's own routes ("admin", "feed", "category"
    …), read from the URL resolver itself."""
    segments = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + _route_text(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if pattern.namespace != PAGES_NAMESPACE:
                    walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                first = route.lstrip("^").split("/", 1)[0]
                if first and all(c.isalnum() or c in "-_." for c in first):
                    segments.add(first)

    walk(get_resolver(urlconf_id).url_patterns, "")
    for url in (settings.STATIC_URL, settings.MEDIA_URL):
        segments.add((url or "").strip("/").split("/", 1)[0])
    segments.discard("")
    return frozenset(segments)


def _route_text(pattern):
    # RoutePattern keeps the route as written; RegexPattern its regular expression.
    return getattr(pattern, "_route", None) or str(pattern).lstrip("^").rstrip("$")


def shadowed_route(slug):
    """What the site itself serves at /<slug>/ or under it (a route's name or first
    segment), or None when a top-level page may take that address."""
    if slug in _reserved_first_segments(settings.ROOT_URLCONF):
        return slug
    # Routes whose first segment is a converter (a year: /2020/) are found by asking.
    for path in (f"/{slug}/", f"/{slug}/01/", f"/{slug}/01/01/"):
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.view_name != PAGE_VIEW_NAME:
            return match.view_name
    return None

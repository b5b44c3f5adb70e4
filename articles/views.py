import datetime

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.generic import ListView, MonthArchiveView, YearArchiveView

from .fragments import shared_article_html
from .models import Article, Author, Category


class FrontPageView(ListView):
    template_name = "articles/front.html"
    context_object_name = "articles"

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.published().with_bylines()


class CategoryView(FrontPageView):
    template_name = "articles/category.html"

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().filter(category=self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


class AuthorView(FrontPageView):
    template_name = "articles/author.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get_queryset().filter(authors=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class _PublishedArchiveMixin:
    """Date archives over what readers may see, newest first, paginated like the front page."""

    date_field = "published_at"
    context_object_name = "articles"
    make_object_list = True
    ordering = ["-published_at", "-id"]

    def get_queryset(self):
        return Article.objects.published().with_bylines()

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE


class YearArchive(_PublishedArchiveMixin, YearArchiveView):
    template_name = "articles/archive_year.html"


class MonthArchive(_PublishedArchiveMixin, MonthArchiveView):
    template_name = "articles/archive_month.html"
    month_format = "%m"


def archive_index(request):
    """Every month that has published articles, grouped by year, newest first."""
    months = Article.objects.published().dates("published_at", "month", order="DESC")
    return render(request, "articles/archive.html", {"months": months})


def render_article(request, article, *, preview=False, status=200, **extra_context):
    """The article's page. `extra_context` is for what other parts of the page read, such
    as the comments area's form sent back with its errors (see comment_section).

    The Edit link is for editors alone, and outside the article's shared parts: a staff
    member's page is never one the page cache shares (their session makes it personal)."""
    edit_url = None
    if article.may_be_edited_by(request.user):
        edit_url = reverse("admin:articles_article_change", args=[article.pk])
    context = {
        "article": article,
        "article_html": shared_article_html(request, article, preview=preview),
        "preview": preview,
        "edit_url": edit_url,
        **extra_context,
    }
    return render(request, "articles/detail.html", context, status=status)


def article_detail(request, year, month, day, slug):
    try:
        datetime.date(year, month, day)
    except (ValueError, OverflowError):  # OverflowError: a year beyond a C int
        raise Http404("No such date.") from None
    # Bylines are fetched only when the article's shared parts are rendered (parts.py).
    article = get_object_or_404(Article.objects.published().select_related("category"), slug=slug)
    local = timezone.localtime(article.published_at)
    if (local.year, local.month, local.day) != (year, month, day):
        # A mistyped or outdated date still finds the story: send readers (and search
        # engines) to the one canonical address.
        return redirect(article, permanent=True)
    return render_article(request, article)


@never_cache
@staff_member_required
def article_preview(request, pk):
    article = get_object_or_404(Article.objects.with_bylines(), pk=pk)
    if not article.may_be_previewed_by(request.user):
        raise PermissionDenied("You do not have permission to read unpublished articles.")
    return render_article(request, article, preview=True)


def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("articles:sitemap"))
    body = render_to_string("robots.txt", {"sitemap_url": sitemap_url})
    return HttpResponse(body, content_type="text/plain; charset=utf-8")

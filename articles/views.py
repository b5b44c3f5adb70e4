from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.generic import ListView

from comments.views import comment_section

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


def _render_article(request, article, *, preview=False):
    context = {"article": article, "preview": preview, **comment_section(request, article)}
    return render(request, "articles/detail.html", context)


def article_detail(request, year, month, day, slug):
    article = get_object_or_404(Article.objects.published().with_bylines(), slug=slug)
    local = timezone.localtime(article.published_at)
    if (local.year, local.month, local.day) != (year, month, day):
        raise Http404("No article at that date.")
    return _render_article(request, article)


@staff_member_required
def article_preview(request, pk):
    article = get_object_or_404(Article.objects.with_bylines(), pk=pk)
    return _render_article(request, article, preview=True)

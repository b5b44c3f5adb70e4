import datetime
import hashlib
from http import HTTPStatus
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DayArchiveView, ListView, MonthArchiveView, YearArchiveView

from newsroom.csrf import origin_checked_when_anonymous
from pagecache.fragments import shared
from pagecache.middleware import cache_public_page

from . import protection
from .forms import ArticlePasswordForm, SearchForm
from .fragments import shared_article_html
from .models import Article, Author, Category, Page, Tag
from .pagination import SeekPaginator
from .search import search


class _SeekPagination:
    """Pages whose cost does not grow with their number (articles/pagination.py), the
    listing's count shared by all its pages: the path names the listing."""

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True):
        listing = hashlib.sha256(self.request.path.encode()).hexdigest()[:32]
        return SeekPaginator(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            count_key=f"articles:count:{listing}",
        )


class ListingView(_SeekPagination, ListView):
    """Published articles, newest first, paginated: the front page and the sections."""

    template_name = "articles/front.html"
    context_object_name = "articles"

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        # No bylines: the teasers are shared and read them only when they are rendered
        # (articles.fragments.shared_teasers).
        return Article.objects.published().select_related("category", "featured_image")


class FrontPageView(ListingView):
    """The latest articles, led on the first page by the lead story: the newest one
    editors marked as such, else the newest of all, shown larger."""

    def get(self, request, *args, **kwargs):
        if "s" in request.GET:
            # WordPress searched at /?s=: old links and bookmarks find our search.
            query = urlencode({"q": request.GET["s"]})
            return HttpResponseRedirect(f"{reverse('articles:search')}?{query}", status=301)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.marked_lead = Article.objects.lead_story().with_bylines().first()
        # With bylines: the lead story, when no article is marked, is the list's first,
        # and its larger teaser is rendered for each page, not shared.
        articles = super().get_queryset().with_bylines()
        if self.marked_lead is not None:
            # Kept out of the list on every page, so that pages do not shift by one.
            articles = articles.exclude(pk=self.marked_lead.pk)
        return articles

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lead = None
        if context["page_obj"].number == 1:
            lead = self.marked_lead
            if lead is None and context["articles"]:
                lead, *rest = context["articles"]
                context["articles"] = rest
        context["lead"] = lead
        return context


class CategoryView(ListingView):
    template_name = "articles/category.html"

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().filter(category=self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


class TagView(ListingView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorView(ListingView):
    template_name = "articles/author.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get_queryset().filter(authors=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class _PublishedArchiveMixin(_SeekPagination):
    """Date archives over what readers may see, newest first, paginated like the front page."""

    date_field = "published_at"
    context_object_name = "articles"
    make_object_list = True
    ordering = ["-published_at", "-id"]

    def get_queryset(self):
        # No bylines here: the teasers are shared and read them only when rendered
        # (articles.fragments.shared_teasers), and the view also asks this queryset for
        # the next and previous periods' first article, which need none.
        return Article.objects.published().select_related("category", "featured_image")

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        """The months of a year (days of a month) with articles, shared per content
        generation: a DISTINCT over every article of the period, 6 ms for a year of 10,000
        (issue 22's archive), the costliest statement of the page."""
        period = ":".join(f"{name}={value}" for name, value in sorted(self.kwargs.items()))
        return shared(
            f"articles:archive-dates:{period}:{date_type}:{ordering}",
            lambda: list(
                super(_PublishedArchiveMixin, self).get_date_list(queryset, date_type, ordering)
            ),
        )


class YearArchive(_PublishedArchiveMixin, YearArchiveView):
    template_name = "articles/archive_year.html"


class MonthArchive(_PublishedArchiveMixin, MonthArchiveView):
    template_name = "articles/archive_month.html"
    month_format = "%m"


class DayArchive(_PublishedArchiveMixin, DayArchiveView):
    template_name = "articles/archive_day.html"
    month_format = "%m"


def archive_index(request):
    """Every month that has published articles, grouped by year, newest first."""
    months = Article.objects.published().dates("published_at", "month", order="DESC")
    return render(request, "articles/archive.html", {"months": months})


def answer_with_status(request, status):
    """Said by a part of the article page while it is rendered (the comments area showing
    a refused comment again, comments/unposted.py): the page answers with `status`."""
    request._article_page_status = status


def render_article(
    request, article, *, preview=False, status=200, password_form=None, **extra_context
):
    """The article's page. `extra_context` is for what other parts of the page read, such
    as the comments area's form sent back with its errors (see comment_section).

    A protected article not unlocked by this reader shows its headline and the password
    form (`password_form`, sent back with its error) instead, whatever the caller wanted.

    The Edit link is for editors alone, and outside the article's shared parts: a staff
    member's page is never one the page cache shares (their session makes it personal)."""
    if not preview and not protection.is_unlocked(request, article):
        form = password_form or ArticlePasswordForm(article=article, request=request)
        context = {"article": article, "password_form": form}
        return render(request, "articles/protected.html", context, status=status)
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
    response = render(request, "articles/detail.html", context, status=status)
    if article.is_protected:
        # Unlocked for this reader alone: never the shared page cache's to keep.
        patch_cache_control(response, private=True)
    told = getattr(request, "_article_page_status", None)
    if told is not None and status == 200:
        response.status_code = told
    return response


def article_detail(request, year, month, day, slug):
    try:
        datetime.date(year, month, day)
    except (ValueError, OverflowError):  # OverflowError: a year beyond a C int
        raise Http404("No such date.") from None
    # Bylines are fetched only when the article's shared parts are rendered (parts.py).
    article = get_object_or_404(
        Article.objects.published().select_related("category", "featured_image"), slug=slug
    )
    local = timezone.localtime(article.published_at)
    if (local.year, local.month, local.day) != (year, month, day):
        # A mistyped or outdated date still finds the story: send readers (and search
        # engines) to the one canonical address.
        return redirect(article, permanent=True)
    return render_article(request, article)


# Anonymous readers' password forms are checked by their headers (see newsroom/csrf.py),
# so that the locked page carries no token and is the same for everyone.
@origin_checked_when_anonymous
@require_POST
def unlock_article(request, pk):
    """The password form of a protected article: the right password unlocks it for this
    browser (a cookie for this article alone) and leads back to it."""
    article = get_object_or_404(Article.objects.published(), pk=pk)
    if not article.is_protected:
        return HttpResponseRedirect(article.get_absolute_url(), status=HTTPStatus.SEE_OTHER)
    form = ArticlePasswordForm(request.POST, article=article, request=request)
    if not form.is_valid():
        status = HTTPStatus.TOO_MANY_REQUESTS if form.too_many_attempts else HTTPStatus.FORBIDDEN
        return render_article(request, article, status=status, password_form=form)
    response = HttpResponseRedirect(article.get_absolute_url(), status=HTTPStatus.SEE_OTHER)
    protection.unlock(response, article)
    return response


# Not in the page cache: it keeps canonical addresses, whose number the content bounds,
# and a search's address is whatever anyone types. Each search is rendered for its reader
# (an index lookup, the page's bylines and the comment counts), marked private.
@require_safe
@cache_control(private=True, max_age=0, must_revalidate=True)
def search_page(request):
    """/search/?q=: published articles matching the words, best first, with excerpts."""
    form = SearchForm(request.GET)
    terms = form.cleaned_data["q"] if form.is_valid() else ""
    page = None
    if terms:
        page = Paginator(search(terms), settings.ARTICLES_PER_PAGE).get_page(
            request.GET.get("page")
        )
    context = {
        "form": form,
        "terms": terms,
        "page_obj": page,
        "articles": page.object_list if page is not None else [],
    }
    status = HTTPStatus.OK if form.is_valid() else HTTPStatus.BAD_REQUEST
    return render(request, "articles/search.html", context, status=status)


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


def sitemap_page(request, section, sitemaps):
    """Page ?p=N of a section's sitemap (articles/sitemaps.py), as Django's sitemap view
    answers it: a 404 for a section or page that is not there, the latest lastmod as
    Last-Modified, and no indexing of the sitemap itself."""
    if section not in sitemaps:
        raise Http404(f"No sitemap for {section!r}")
    sitemap = sitemaps[section]()
    origin = f"{sitemap.protocol or request.scheme}://{get_current_site(request).domain}"
    try:
        xml, last_modified = sitemap.page_xml(request.GET.get("p", 1), origin)
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page of this sitemap") from None
    response = HttpResponse(xml, content_type="application/xml")
    if last_modified is not None:
        response.headers["Last-Modified"] = http_date(last_modified.timestamp())
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


def page_detail(request, path):
    """A static page at its address; only GET and HEAD, but a path with no page is a 404
    whatever the method (the route catches every address the others leave)."""
    if request.method not in ("GET", "HEAD"):
        get_object_or_404(Page.objects.published(), path=path)
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return _shared_page(request, path)


def _page(request, path):
    page = Page.objects.filter(path=path).first()
    # Editors see a draft, marked as one: their session keeps it out of the page cache.
    if page is None or not (page.is_published or request.user.has_perm("articles.view_page")):
        raise Http404("No page at this address.")
    edit_url = None
    if request.user.has_perm("articles.change_page"):
        edit_url = reverse("admin:articles_page_change", args=[page.pk])
    context = {"page": page, "ancestors": page.ancestors(), "edit_url": edit_url}
    return render(request, "articles/page.html", context)


_shared_page = cache_public_page(_page)

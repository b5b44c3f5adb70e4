"""Old WordPress links keep working after the move: this module owns WordPress's address space.

Modelled on django.contrib.redirects' RedirectFallbackMiddleware. Two kinds of old link:

* Query-string links at the site root (`/?p=<id>`, `/?page_id=<id>`, `/?feed=rss2`,
  `/?tag=<slug>`, `/?m=<yyyymm>`, `/?cat=<term id>`, `/?author=<user id>`,
  `/?attachment_id=<id>`):
  the front page would answer 200 and ignore them, so they are decided before the view.
* Path shapes our own URLs do not have (`/feed/rss2/`, `/page/2/`, `/2020/05/page/2/`,
  `/category/<parent>/<child>/`, `/<permalink>/feed/`, `/<permalink>/comment-page-2/`,
  `/search/<terms>/`, a page's old address where it differs from its new one …): only a
  404 is looked at again, so nothing of ours is ever shadowed.

Each answers 301 to the address that now serves it; what it would lead to that readers may not
see (a draft, an unknown tag) stays a 404.
"""

import re
from urllib.parse import urlencode

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse

from articles.models import Article, Author, Category, Image, Page, Tag

from .models import ImportedAttachment, ImportedAuthor, ImportedCategory, ImportedPage

# WordPress's feed names (`/?feed=<name>`, `/feed/<name>/`) and which of our feeds serves each.
_FEEDS = {
    "rss2": "articles:feed",
    "rss": "articles:feed",
    "rdf": "articles:feed",
    "atom": "articles:atom",
    "comments-rss2": "comments:feed",
    "comments-atom": "comments:feed",
}
_PAGE_NUMBER = r"(?P<page>[1-9][0-9]{0,5})"
_SITE_FEED = re.compile(r"^/feed/(?P<name>rss2|rss|rdf)/?$")
# The front page and the date archives: /page/<n>/, /<yyyy>/<mm>/page/<n>/ …
_LISTING_PAGE = re.compile(
    rf"^(?P<listing>/(?:[0-9]{{4}}/(?:[0-9]{{2}}/){{0,2}})?)page/{_PAGE_NUMBER}/?$"
)
# /category/<parent>/<child>/, optionally followed by WordPress's /feed/, /feed/atom/ or /page/<n>/.
_SECTION = re.compile(
    r"^/(?P<kind>category|tag|author)/(?P<slugs>[-\w]+(?:/[-\w]+)*?)"
    rf"(?:(?P<feed>/feed(?:/(?P<feed_type>rss2|rss|rdf|atom))?)|/page/{_PAGE_NUMBER})?/?$"
)
_SEARCH = re.compile(rf"^/search/(?P<terms>[^/]+)(?:/page/{_PAGE_NUMBER})?/?$")
# What WordPress hangs under a post's permalink: its comment feed, comment pages, attachments.
_UNDER_PERMALINK = re.compile(
    r"^(?P<permalink>/.+?)/(?:(?P<feed>feed)(?:/(?:rss2|rss|rdf|atom))?"
    r"|comment-page-(?P<cpage>[1-9][0-9]{0,5})"
    r"|(?P<attachment>[-\w]+))/?$"
)
# Each kind of section: its model, then the names of its RSS and Atom feeds.
_SECTIONS = {
    "category": (Category, "articles:category_feed", "articles:category_atom"),
    "tag": (Tag, "articles:tag_feed", "articles:tag_atom"),
    "author": (Author, "articles:author_feed", "articles:author_atom"),
}


def _digits(value):
    # str.isdigit() also accepts "²" and "①", which int() refuses.
    return value.isascii() and value.isdigit()


def _with_page(url, page):
    return url if int(page) == 1 else f"{url}?{urlencode({'page': int(page)})}"


class WordPressRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in ("/", "/index.php") and request.method in ("GET", "HEAD"):
            location = self._query_string_link(request.GET)
            if location is not None:
                return HttpResponsePermanentRedirect(location)
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        location = self._path_shape(request.path_info)
        if location is None:
            return response
        return HttpResponsePermanentRedirect(location)

    # Query-string links --------------------------------------------------------------------

    def _query_string_link(self, query):
        """Where a WordPress query-string link at the root now answers; None for the front
        page itself. Raises Http404 for a link to what readers may not see."""
        if "page_id" in query:
            return self._page_by_post_id(query["page_id"]).get_absolute_url()
        if "p" in query:
            # WordPress answers ?p= with a page's id too.
            return self._article_by_post_id(query["p"]).get_absolute_url()
        if "feed" in query:
            if query["feed"] not in _FEEDS:
                raise Http404("WordPress has no feed of that name.")
            return reverse(_FEEDS[query["feed"]])
        if "tag" in query:
            # WordPress's ?tag= takes one slug, or several joined by "," or "+".
            slug = re.split(r"[,+ ]", query["tag"])[0]
            tag = Tag.objects.filter(slug=slug).first()
            if tag is None:
                raise Http404("No tag has that slug.")
            return tag.get_absolute_url()
        if "m" in query:
            return self._date_archive(query["m"])
        if "cat" in query:
            return self._by_wordpress_id(ImportedCategory, "category", query["cat"])
        if "author" in query:
            return self._by_wordpress_id(ImportedAuthor, "author", query["author"])
        if "attachment_id" in query:
            return self._image_by_attachment_id(query["attachment_id"])
        # ?s= is sent to our search by the front page itself (articles.views).
        return None

    @classmethod
    def _article_by_post_id(cls, post_id):
        article = None
        if _digits(post_id) and len(post_id) < 19:
            article = Article.objects.published().filter(wordpress_id=int(post_id)).first()
        if article is None:
            try:
                return cls._page_by_post_id(post_id)
            except Http404:
                raise Http404("No published article or page has that WordPress id.") from None
        return article

    @staticmethod
    def _page_by_post_id(post_id):
        page = None
        if _digits(post_id) and len(post_id) < 19:
            imported = ImportedPage.objects.filter(
                wordpress_id=int(post_id), page__in=Page.objects.published()
            )
            page = Page.objects.filter(pk__in=imported.values("page_id")).first()
        if page is None:
            raise Http404("No published page has that WordPress id.")
        return page

    @staticmethod
    def _by_wordpress_id(model, field, value):
        """The page of the category or author an import kept WordPress's id of."""
        imported = None
        if _digits(value) and len(value) < 19:
            imported = model.objects.select_related(field).filter(wordpress_id=int(value)).first()
        if imported is None:
            raise Http404(f"No {field} has that WordPress id.")
        return getattr(imported, field).get_absolute_url()

    @staticmethod
    def _image_by_attachment_id(value):
        """An attachment page: the image itself, when the import brought its file across."""
        image = None
        if _digits(value) and len(value) < 19:
            image = Image.objects.filter(wordpress_id=int(value)).first()
        if image is None:
            raise Http404("No image was imported with that WordPress attachment id.")
        return image.url

    @staticmethod
    def _date_archive(value):
        """`?m=yyyy`, `?m=yyyymm` or `?m=yyyymmdd`: WordPress's date archives."""
        if not (_digits(value) and len(value) in (4, 6, 8)):
            raise Http404("?m= takes a date as yyyy, yyyymm or yyyymmdd.")
        year, month, day = int(value[:4]), int(value[4:6] or 0), int(value[6:8] or 0)
        if len(value) >= 6 and not 1 <= month <= 12 or len(value) == 8 and not 1 <= day <= 31:
            raise Http404("That is not a date.")
        if len(value) == 8:
            return reverse("articles:archive_day", args=[year, month, day])
        if len(value) == 6:
            return reverse("articles:archive_month", args=[year, month])
        return reverse("articles:archive_year", args=[year])

    # Path shapes ---------------------------------------------------------------------------

    def _path_shape(self, path):
        """Where an old WordPress path now answers, or None to leave the 404 alone."""
        article = self._article_at_old_path(path)
        if article is not None:
            return article.get_absolute_url()
        page = self._page_at_old_path(path)
        if page is not None:
            return page.get_absolute_url()
        if match := _SITE_FEED.match(path):
            return reverse(_FEEDS[match["name"]])
        if match := _LISTING_PAGE.match(path):
            try:
                resolve(match["listing"])
            except Resolver404:
                return None
            return _with_page(match["listing"], match["page"])
        if match := _SEARCH.match(path):
            query = {"q": match["terms"].replace("+", " ")}
            if match["page"] and int(match["page"]) > 1:
                query["page"] = int(match["page"])
            return f"{reverse('articles:search')}?{urlencode(query)}"
        if match := _SECTION.match(path):
            return self._section(match)
        if match := _UNDER_PERMALINK.match(path):
            return self._under_permalink(match)
        return None

    @staticmethod
    def _section(match):
        """A category, tag or author address in WordPress's shapes: the last slug names the
        section (`/category/<parent>/<child>/` is the child), then its feed or a page of it."""
        model, feed_name, atom_name = _SECTIONS[match["kind"]]
        slug = match["slugs"].rsplit("/", 1)[-1]
        section = model.objects.filter(slug=slug).first()
        if section is None and model is Author:
            # WordPress's author addresses carry the login, which our slug may differ from.
            section = Author.objects.filter(wordpress_login=slug).first()
        if section is None:
            return None
        if match["page"]:
            return _with_page(section.get_absolute_url(), match["page"])
        if match["feed"]:
            name = atom_name if match["feed_type"] == "atom" else feed_name
            return reverse(name, kwargs={"slug": section.slug})
        return section.get_absolute_url()

    def _under_permalink(self, match):
        article = self._article_at_old_path(match["permalink"]) or self._article_at_our_path(
            match["permalink"]
        )
        if article is None:
            if match["attachment"] or match["cpage"]:
                # A page's attachment or comment page: its image, else the page itself.
                return self._under_page(match)
            return None
        if match["feed"]:
            if article.is_protected:
                return None  # Like our own feeds: nothing of a protected article goes out.
            return reverse("comments:article_feed", kwargs={"article_id": article.pk})
        url = article.get_absolute_url()
        if match["cpage"]:
            return f"{url}?{urlencode({'cpage': int(match['cpage'])})}#comments"
        # An attachment page: its image when the import brought it across, else the article.
        image = self._attachment_image(match.group(0))
        return image.url if image is not None else url

    def _under_page(self, match):
        if Page.objects.filter(path=match.group(0).strip("/")).exists():
            return None  # A page readers may not see (a draft) stays not found.
        permalink = match["permalink"]
        page = self._page_at_old_path(permalink)
        if page is None:
            page = Page.objects.published().filter(path=permalink.strip("/")).first()
        if page is None:
            return None
        if match["attachment"]:
            image = self._attachment_image(match.group(0))
            if image is not None:
                return image.url
        return page.get_absolute_url()

    @staticmethod
    def _attachment_image(path):
        candidates = {path, path + "/" if not path.endswith("/") else path.rstrip("/")}
        attachment = (
            ImportedAttachment.objects.select_related("image")
            .filter(wordpress_path__in=candidates)
            .first()
        )
        return attachment.image if attachment is not None else None

    @staticmethod
    def _article_at_old_path(path):
        # WordPress permalinks end in a slash; links copied without it work there too.
        candidates = {path, path + "/" if not path.endswith("/") else path.rstrip("/")}
        candidates.discard("")
        return (
            Article.objects.published()
            .filter(wordpress_path__in=candidates)
            .order_by("-published_at")
            .first()
        )

    @staticmethod
    def _page_at_old_path(path):
        """A page imported from an address its new one differs from (another permalink
        base, a slug renamed at import)."""
        candidates = {path, path + "/" if not path.endswith("/") else path.rstrip("/")}
        candidates.discard("")
        imported = ImportedPage.objects.filter(wordpress_path__in=candidates)
        return Page.objects.published().filter(pk__in=imported.values("page_id")).first()

    @staticmethod
    def _article_at_our_path(path):
        """Our own article address (WordPress's default date permalinks are the same shape)."""
        try:
            found = resolve(path if path.endswith("/") else path + "/")
        except Resolver404:
            return None
        if found.view_name != "articles:detail":
            return None
        return Article.objects.published().filter(slug=found.kwargs["slug"]).first()

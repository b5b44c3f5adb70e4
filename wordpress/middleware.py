"""Old WordPress links keep working after the move.

Modelled on django.contrib.redirects' RedirectFallbackMiddleware: `/?p=<id>` at the site
root, and any 404 whose path was an imported article's WordPress permalink, answer with a
301 to the article. Only published articles redirect; anything else stays a 404.
"""

from django.http import Http404, HttpResponsePermanentRedirect

from articles.models import Article


class WordPressRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in ("/", "/index.php") and "p" in request.GET:
            # The front page would answer 200 and ignore ?p=, so this is decided first.
            return self._post_id_redirect(request.GET["p"])
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        article = self._article_at_old_path(request.path)
        if article is None:
            return response
        return HttpResponsePermanentRedirect(article.get_absolute_url())

    def _post_id_redirect(self, post_id):
        article = None
        # str.isdigit() also accepts "²" and "①", which int() refuses.
        if post_id.isascii() and post_id.isdigit():
            article = Article.objects.published().filter(wordpress_id=int(post_id)).first()
        if article is None:
            raise Http404("No published article has that WordPress id.")
        return HttpResponsePermanentRedirect(article.get_absolute_url())

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

"""The site's URLs plus a few views that exercise the production plumbing in tests."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path
from django.views.decorators.http import require_POST

from pagecache.middleware import cache_public_page

_FORM = engines["django"].from_string(
    '<form method="post" action="/test/posted/">{% csrf_token %}'
    '<input type="hidden" name="shown_at" value="{{ shown_at }}"><button>Send</button></form>'
)


def page_with_form(request):
    return HttpResponse(_FORM.render({"shown_at": "first view"}, request))


@require_POST
def posted(request):
    return HttpResponse("posted")


def broken(request):
    raise RuntimeError("the view failed")


urlpatterns = [
    path("test/form/", cache_public_page(page_with_form)),
    path("test/posted/", posted),
    path("test/broken/", broken),
    path("", include("newsroom.urls")),
]

"""Pages whose views mark them as not for everyone, each wrapped in cache_public_page."""

from django.http import HttpResponse
from django.urls import path
from django.utils.cache import patch_cache_control, patch_vary_headers

from pagecache.middleware import cache_public_page


def _page(mark):
    def view(request):
        response = HttpResponse(f"<p>A page {mark.__name__.replace('_', ' ')}.</p>")
        mark(response)
        return response

    return cache_public_page(view)


def marked_private(response):
    patch_cache_control(response, private=True)


def marked_no_store(response):
    patch_cache_control(response, no_store=True)


def marked_no_cache(response):
    patch_cache_control(response, no_cache=True)


def setting_a_cookie(response):
    response.set_cookie("greeting", "hello")


def varying_on_cookie(response):
    patch_vary_headers(response, ["Cookie"])


def unmarked(response):
    pass


GUARDED = [marked_private, marked_no_store, marked_no_cache, setting_a_cookie, varying_on_cookie]

urlpatterns = [
    path(f"{mark.__name__}/", _page(mark), name=mark.__name__) for mark in [*GUARDED, unmarked]
]

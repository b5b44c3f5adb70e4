"""Static pages at their own addresses (/about/, /about/team/): a catch-all route, so
newsroom/urls.py places it after every other, and a page never shadows one (Page.clean
refuses a top-level slug the site itself answers at)."""

from django.urls import re_path

from . import views
from .pages import PAGES_NAMESPACE

app_name = PAGES_NAMESPACE

# Slugs only (no dot): /index.php and /sitemap.xml never become /index.php/ by APPEND_SLASH.
urlpatterns = [re_path(r"^(?P<path>[-\w]+(?:/[-\w]+)*)/$", views.page_detail, name="page")]

"""Every old URL of a WordPress export, and what answers it here now: `import_wxr
--redirect-map map.csv`, for an operator to check a migration with their own crawler.

The old URLs are those WordPress served for the export's contents: each post's permalink,
`?p=`, comment feed and date archives; each page's address and `?page_id=`; each category
(under its parents, as WordPress nests them), tag and author, with `?cat=`, `?tag=`,
`?author=` and their feeds; each attachment's page and `?attachment_id=`; the site's feeds.
Each is asked of the site itself, through Django's test client (the whole middleware
stack, as a reader's request would go), following redirects on this site to the address
that finally answers.
"""

import csv
import logging
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote, urlencode, urljoin, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.http.request import split_domain_port, validate_host
from django.test import Client

from .wxr import WxrAuthor, WxrItem, WxrTerm, read_wxr

COLUMNS = ["old_url", "new_url", "status"]
MAX_REDIRECTS = 10
# What WordPress itself serves for any site.
SITE_ADDRESSES = ["/", "/feed/", "/feed/atom/", "/comments/feed/", "/?feed=rss2"]


@dataclass
class _Export:
    """What of a WXR file its old URLs are made of."""

    base_url: str = ""
    authors: list = field(default_factory=list)  # WxrAuthor
    categories: dict = field(default_factory=dict)  # slug -> WxrTerm
    tags: list = field(default_factory=list)  # WxrTerm
    items: list = field(default_factory=list)  # WxrItem (no content, no comments)


def _read(source):
    export = _Export()
    for record in read_wxr(source):
        if isinstance(record, WxrAuthor):
            export.authors.append(record)
        elif isinstance(record, WxrTerm):
            if record.taxonomy == "category":
                export.categories.setdefault(record.slug, record)
            elif record.taxonomy == "post_tag":
                export.tags.append(record)
        elif isinstance(record, WxrItem) and record.post_type in ("post", "page", "attachment"):
            if not export.base_url and record.link:
                link = urlsplit(record.link)
                export.base_url = f"{link.scheme}://{link.netloc}"
            for domain, slug, name in record.terms:
                # Terms used by posts but not declared in the channel still have addresses.
                if domain == "category" and slug and slug not in export.categories:
                    export.categories[slug] = WxrTerm("category", slug, name)
                elif domain == "post_tag" and slug:
                    export.tags.append(WxrTerm("post_tag", slug, name))
            record.content = record.excerpt = ""
            record.comments = []
            export.items.append(record)
    return export


def old_addresses(source):
    """The old site's base URL and every address (path and query) of the export, each
    once, in the export's order."""
    export = _read(source)
    addresses = dict.fromkeys(SITE_ADDRESSES)

    def add(*paths):
        addresses.update(dict.fromkeys(paths))

    for author in export.authors:
        login = quote(author.login)
        add(f"/author/{login}/", f"/author/{login}/feed/")
        if author.wordpress_id:
            add(f"/?{urlencode({'author': author.wordpress_id})}")
    for category in export.categories.values():
        path = _category_path(category, export.categories)
        add(f"/category/{path}/", f"/category/{path}/feed/")
        if category.wordpress_id:
            add(f"/?{urlencode({'cat': category.wordpress_id})}")
    for tag in dict((t.slug, t) for t in export.tags).values():
        add(f"/tag/{tag.slug}/", f"/tag/{tag.slug}/feed/", f"/?{urlencode({'tag': tag.slug})}")
    for item in export.items:
        add(*_item_addresses(item))
    return export.base_url, list(addresses)


def _category_path(category, categories):
    """WordPress's address of a category: its parents' slugs, then its own."""
    slugs, seen = [category.slug], {category.slug}
    parent = categories.get(category.parent)
    while parent is not None and parent.slug not in seen:
        slugs.insert(0, parent.slug)
        seen.add(parent.slug)
        parent = categories.get(parent.parent)
    return "/".join(slugs)


def _link_path(item):
    link = urlsplit(item.link)
    if not link.path and not link.query:
        return None
    # "//greek/…": WordPress's links sometimes double the slash after the host.
    path = "/" + link.path.lstrip("/")
    return f"{path}?{link.query}" if link.query else path


def _item_addresses(item):
    link = _link_path(item)
    if item.post_type == "page":
        return [a for a in (link, f"/?page_id={item.post_id}") if a]
    if item.post_type == "attachment":
        return [a for a in (link, f"/?attachment_id={item.post_id}") if a]
    addresses = [f"/?p={item.post_id}"]
    if link:
        addresses.insert(0, link)
        if "?" not in link:
            addresses.append(urljoin(link if link.endswith("/") else link + "/", "feed/"))
    try:
        date = datetime.fromisoformat(item.post_date.strip())
    except ValueError:
        date = None
    if date is not None and date.year > 1:
        addresses += [f"/{date:%Y}/", f"/{date:%Y/%m}/", f"/{date:%Y/%m/%d}/"]
    return addresses


class SiteAsker:
    """Asks this site for addresses as a reader's browser would, on the site's own host."""

    def __init__(self):
        site = urlsplit(settings.SITE_URL)
        self.secure = site.scheme == "https"
        self.host = _allowed_host(site.netloc)
        # A page that fails is a row with its 500, not the end of the map.
        self.client = Client(HTTP_HOST=self.host, raise_request_exception=False)
        self.site_url = f"{'https' if self.secure else 'http'}://{self.host}"

    def final_answer(self, address):
        """(the address that finally answers, its status) after this site's redirects;
        a redirect elsewhere ends there, with the redirect's status."""
        status = None
        for _ in range(MAX_REDIRECTS + 1):
            status = self._status(address)
            if not (300 <= status < 400) or self._location is None:
                return address, status
            location = urlsplit(urljoin(self.site_url + address, self._location))
            if location.netloc not in ("", self.host):
                return urljoin(self.site_url + address, self._location), status
            address = location.path + (f"?{location.query}" if location.query else "")
        return address, status

    def _status(self, address):
        self._location = None
        media_url = settings.MEDIA_URL
        if media_url.startswith("/") and address.startswith(media_url) and not settings.SERVE_MEDIA:
            # Served by nginx, not Django: is the file there?
            name = address[len(media_url) :].split("?", 1)[0]
            return 200 if default_storage.exists(name) else 404
        response = self.client.get(address, secure=self.secure)
        if response.has_header("Location"):
            self._location = response["Location"]
        return response.status_code


def _allowed_host(netloc):
    """SITE_URL's host when ALLOWED_HOSTS takes it, else the first host it names."""
    domain, _port = split_domain_port(netloc)
    if domain and validate_host(domain, settings.ALLOWED_HOSTS):
        return netloc
    named = [h for h in settings.ALLOWED_HOSTS if h != "*" and not h.startswith(".")]
    return named[0] if named else "localhost"


def write_redirect_map(source, out):
    """Write the CSV (old_url, new_url, status) of every old address of the export at
    `source` to the text stream `out`. Returns how many rows and how many answer 200."""
    base_url, addresses = old_addresses(source)
    asker = SiteAsker()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    answered = 0
    # Each old URL that is not found would be logged as a warning: the map says it.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        for address in addresses:
            final, status = asker.final_answer(address)
            new_url = final if "://" in final else asker.site_url + final
            writer.writerow([base_url + address, new_url, status])
            answered += status == 200
    finally:
        request_log.setLevel(level)
    return len(addresses), answered

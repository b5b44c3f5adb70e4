"""Anonymous readers share cached pages; nobody is served someone else's page."""

import io
import re

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from comments.models import Comment
from pagecache import fragments, generation, middleware
from tests.comment_form import follow_refusal
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, CommentFactory
from tests.pagecache import urls as pagecache_urls
from tests.production.server import CommentFormFields

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def cache_status(response):
    return response[middleware.STATUS_HEADER]


def test_second_anonymous_view_of_an_article_comes_from_the_cache(
    client, django_assert_num_queries
):
    article = ArticleFactory()
    assert cache_status(client.get(article.get_absolute_url())) == "miss"
    with django_assert_num_queries(0):
        response = Client().get(article.get_absolute_url())
    assert cache_status(response) == "hit"
    assert article.title in response.text


def test_front_category_and_author_pages_are_cached(client):
    author = AuthorFactory()
    category = CategoryFactory()
    ArticleFactory(category=category, authors=[author])
    for url in ("/", category.get_absolute_url(), author.get_absolute_url()):
        assert cache_status(client.get(url)) == "miss"
        assert cache_status(Client().get(url)) == "hit"


def test_approved_comment_appears_on_the_next_anonymous_view(client):
    comment = CommentFactory(status=Comment.Status.PENDING, body="Pending words from Ada.")
    url = comment.article.get_absolute_url()
    assert "Pending words from Ada." not in client.get(url).text
    assert cache_status(Client().get(url)) == "hit"

    comment.approve()

    response = Client().get(url)
    assert "Pending words from Ada." in response.text


def test_comments_approved_in_bulk_appear_on_the_next_anonymous_view(client):
    article = ArticleFactory()
    CommentFactory.create_batch(2, article=article, status=Comment.Status.PENDING, body="Queued.")
    client.get(article.get_absolute_url())

    Comment.objects.filter(article=article).change_status(Comment.Status.APPROVED)

    assert Client().get(article.get_absolute_url()).text.count("Queued.") == 2


def test_removed_comment_disappears_from_the_next_anonymous_view(client):
    comment = CommentFactory(body="Soon removed.")
    url = comment.article.get_absolute_url()
    assert "Soon removed." in client.get(url).text

    comment.remove()

    assert "Soon removed." not in Client().get(url).text


def test_new_pending_comment_never_appears_in_a_cached_page(client):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    CommentFactory(article=article, status=Comment.Status.PENDING, body="Not yet, please.")

    response = Client().get(article.get_absolute_url())

    assert cache_status(response) == "hit"
    assert "Not yet, please." not in response.text


def test_editing_an_article_updates_the_cached_page(client):
    article = ArticleFactory(title="Budget passes")
    client.get(article.get_absolute_url())
    client.get("/")

    article.title = "Budget passes after all-night session"
    article.save()

    assert "after all-night session" in Client().get(article.get_absolute_url()).text
    assert "after all-night session" in Client().get("/").text


def test_renaming_a_category_replaces_its_cached_page(client):
    category = CategoryFactory(name="Politics")
    ArticleFactory(category=category)
    client.get(category.get_absolute_url())

    category.name = "Politics and government"
    category.save()

    assert cache_status(Client().get(category.get_absolute_url())) == "miss"


PERSONAL_COOKIES = ["sessionid", "comments_pending", "comment_author", "messages"]


def personal_visitor(cookie):
    visitor = Client()
    visitor.cookies[cookie] = "something-of-their-own"
    return visitor


@pytest.mark.parametrize("cookie", PERSONAL_COOKIES)
def test_visitor_with_personal_cookies_is_never_served_from_the_cache(client, cookie):
    article = ArticleFactory(title="Harbour reopens")
    url = article.get_absolute_url()
    client.get(url)  # now cached for everyone else
    # What the cache holds for everyone now differs from what the page would show.
    key = middleware.page_key(RequestFactory().get(url))
    current = generation.current_generation()
    cache.set(key, {"content": b"the stored copy", "content_type": "text/html"}, version=current)
    fragments._local_copies.put(key, (current, cache.get(key, version=current)))
    assert Client().get(url).text == "the stored copy"

    response = personal_visitor(cookie).get(url)

    assert "Harbour reopens" in response.text
    assert "the stored copy" not in response.text
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("cookie", PERSONAL_COOKIES)
def test_visitor_with_personal_cookies_is_never_stored_in_the_cache(cookie):
    article = ArticleFactory()
    url = article.get_absolute_url()

    personal_visitor(cookie).get(url)

    assert stored_addresses([(url, "testserver")]) == []
    assert cache_status(Client().get(url)) == "miss"


def test_personalised_page_is_not_stored_for_others(client):
    article = ArticleFactory()
    personal = Client()
    personal.cookies["comment_author"] = "Ada"
    personal.get(article.get_absolute_url())

    assert cache_status(client.get(article.get_absolute_url())) == "miss"


def test_logged_in_staff_bypass_the_cache(admin_client):
    article = ArticleFactory()
    Client().get(article.get_absolute_url())

    assert cache_status(admin_client.get(article.get_absolute_url())) == "bypass"


def test_pagination_is_cached_but_other_query_strings_bypass(client, settings):
    settings.ARTICLES_PER_PAGE = 1
    ArticleFactory.create_batch(2)
    assert cache_status(client.get("/?page=2")) == "miss"
    assert cache_status(Client().get("/?page=2")) == "hit"
    assert cache_status(Client().get("/?utm_source=newsletter")) == "bypass"
    assert cache_status(Client().get("/?utm_source=newsletter")) == "bypass"


def stored_addresses(addresses):
    """The (address, host) pairs a page is stored under in the shared cache."""
    current = generation.current_generation()
    return [
        (address, host)
        for address, host in addresses
        if cache.get(
            middleware.page_key(RequestFactory().get(address, HTTP_HOST=host)), version=current
        )
        is not None
    ]


def test_only_the_canonical_address_of_a_page_is_stored(settings):
    settings.ARTICLES_PER_PAGE = 1
    ArticleFactory.create_batch(3)
    canonical = [("/?page=2", "testserver"), ("/", "testserver")]
    variants = [
        *((f"/?page={'0' * zeros}2", "testserver") for zeros in range(1, 40)),
        *((f"/?page=2&cpage={number}", "testserver") for number in range(2, 40)),
        *((f"/?cpage=x{number}", "testserver") for number in range(40)),
        *(("/?page=2", f"testserver:{port}") for port in range(1, 40)),
        ("/?page=1", "testserver"),
        ("/?page=+2", "testserver"),
        ("/?page=%20%202", "testserver"),
        ("/?page=%D9%A2", "testserver"),  # an Arabic-Indic 2, which int() reads
        ("/?page=2&page=2", "testserver"),
        ("/?page=last", "testserver"),
        ("/?page=2", "TestServer"),
        ("/?page=2", "testserver:80"),  # the server's own port: the same as without
    ]

    for address, host in canonical + variants:
        assert Client().get(address, HTTP_HOST=host).status_code == 200, (address, host)

    assert stored_addresses(canonical + variants) == canonical + [("/?page=2", "testserver:80")]


def test_a_host_allowed_only_by_a_pattern_is_served_but_not_stored(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".example.com"]
    ArticleFactory()
    hosts = [f"reader{number}.example.com" for number in range(20)]

    for host in hosts:
        assert cache_status(Client().get("/", HTTP_HOST=host)) == "bypass"

    assert stored_addresses(("/", host) for host in hosts) == []


def test_comments_page_past_the_last_is_served_as_the_last_but_not_stored():
    article = ArticleFactory()
    CommentFactory(article=article)
    url = article.get_absolute_url()
    addresses = [(f"{url}?cpage={number}", "testserver") for number in range(2, 40)]

    for address, host in addresses:
        assert cache_status(Client().get(address, HTTP_HOST=host)) == "bypass"

    assert stored_addresses(addresses) == []
    assert cache_status(Client().get(url)) == "miss"
    assert cache_status(Client().get(url)) == "hit"


def test_missing_pages_are_not_cached(client):
    assert client.get("/category/no-such-section/").status_code == 404
    assert middleware.STATUS_HEADER not in client.get("/category/no-such-section/")


def test_shared_page_is_for_shared_caches_briefly_and_revalidated_by_browsers(client, settings):
    ArticleFactory()
    response = client.get("/")
    assert set(response["Cache-Control"].split(", ")) == {
        "public",
        "max-age=0",
        f"s-maxage={settings.EDGE_CACHE_SECONDS}",
    }
    assert "Cookie" in response["Vary"]


def test_a_release_migration_serves_no_page_the_previous_code_rendered(client):
    from django.core.management import call_command

    article = ArticleFactory()
    client.get(article.get_absolute_url())
    assert cache_status(Client().get(article.get_absolute_url())) == "hit"

    call_command("migrate", verbosity=0)

    assert cache_status(Client().get(article.get_absolute_url())) == "miss"


def test_a_cache_that_is_down_does_not_fail_the_migration(monkeypatch, caplog):
    from django.core.management import call_command

    def down(*args, **kwargs):
        raise ConnectionError("cache is down")

    monkeypatch.setattr(cache, "set", down)

    call_command("migrate", verbosity=0)

    assert "Could not take a new page cache generation" in caplog.text


def test_losing_the_generation_never_brings_back_older_pages(client):
    from articles.models import Article

    article = ArticleFactory(title="First headline")
    url = article.get_absolute_url()
    cache.delete(generation.GENERATION_KEY)  # lost once already
    client.get(url)  # stored under the generation taken after that loss
    generation.content_changed()
    Article.objects.filter(pk=article.pk).update(title="Second headline")  # no signal
    assert "Second headline" in Client().get(url).text  # stored under the second
    Article.objects.filter(pk=article.pk).update(title="Third headline")
    assert "Second headline" in Client().get(url).text

    cache.delete(generation.GENERATION_KEY)  # evicted, or expired, or Redis restarted

    for _ in range(3):
        response = Client().get(url)
        assert "Third headline" in response.text
        assert "First headline" not in response.text


@pytest.mark.urls("tests.production.urls")
class TestPagesWithATokenAreNeverShared:
    """A view that puts Django's token in its page (a form for visitors with a session,
    or a view not checked by origin) renders it for each visitor; nothing stores it."""

    def test_the_page_is_not_stored(self, client):
        first = client.get("/test/form/")
        second = Client().get("/test/form/")

        assert cache_status(first) == cache_status(second) == "bypass"
        assert TOKEN.search(first.text).group(1) != TOKEN.search(second.text).group(1)
        assert cache.get(middleware.page_key(RequestFactory().get("/test/form/"))) is None

    def test_it_is_marked_private_for_shared_caches(self, client):
        response = client.get("/test/form/")

        assert "private" in response["Cache-Control"]
        assert "s-maxage" not in response["Cache-Control"]

    def test_its_token_works_for_its_visitor_alone(self):
        first = Client(enforce_csrf_checks=True)
        first_token = TOKEN.search(first.get("/test/form/").text).group(1)
        second = Client(enforce_csrf_checks=True)
        second.get("/test/form/")

        assert first.post("/test/posted/", {"csrfmiddlewaretoken": first_token}).status_code == 200
        assert second.post("/test/posted/", {"csrfmiddlewaretoken": first_token}).status_code == 403


def test_cached_pages_expire_when_a_scheduled_article_goes_live():
    from datetime import timedelta

    from django.utils import timezone

    ArticleFactory(published_at=timezone.now() + timedelta(minutes=5))

    assert 290 < generation.seconds_until_scheduled_change() <= 300


def test_cached_pages_keep_their_full_life_with_nothing_scheduled(settings):
    ArticleFactory()
    assert generation.seconds_until_scheduled_change() is None


@pytest.mark.parametrize("action", ["unpublish", "publish"])
def test_publishing_in_bulk_in_the_admin_reaches_readers_at_once(client, admin_client, action):
    from articles.models import Article

    live = action == "unpublish"
    article = ArticleFactory(title="Harbour reopens", status="published" if live else "draft")
    assert ("Harbour reopens" in client.get("/").text) is live
    assert cache_status(Client().get("/")) == "hit"

    admin_client.post(
        "/admin/articles/article/", {"action": action, "_selected_action": [article.pk]}
    )

    assert Article.objects.get(pk=article.pk).is_published is not live
    assert ("Harbour reopens" in Client().get("/").text) is not live


def test_scheduled_article_shows_on_cached_pages_once_it_goes_live(client):
    import time
    from datetime import timedelta

    from django.utils import timezone

    goes_live = timezone.now() + timedelta(seconds=1)
    ArticleFactory(title="Bridge opens at noon", published_at=goes_live)
    assert "Bridge opens at noon" not in client.get("/").text
    assert cache_status(Client().get("/")) == "hit"

    time.sleep(max(0, (goes_live - timezone.now()).total_seconds()) + 1.1)

    assert "Bridge opens at noon" in Client().get("/").text


def test_no_page_outlives_page_cache_seconds(client, settings):
    import time

    settings.PAGE_CACHE_SECONDS = 1
    generation.content_changed()  # a generation that lives PAGE_CACHE_SECONDS
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    assert cache_status(Client().get(article.get_absolute_url())) == "hit"

    time.sleep(1.5)

    assert cache_status(Client().get(article.get_absolute_url())) == "miss"


def comment_form_of(page):
    form = CommentFormFields()
    form.feed(page.content.decode())
    return form


def test_comment_form_on_a_cached_page_works_for_a_new_visitor(client, settings):
    settings.COMMENTS_MIN_SECONDS_TO_SUBMIT = 0
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    visitor = Client(enforce_csrf_checks=True)

    page = visitor.get(article.get_absolute_url())
    form = comment_form_of(page)
    response = visitor.post(
        form.action,
        {**form.fields, "comment": "Posted from a cached page.", "name": "Ada",
         "email": "ada@readers.example"},
    )  # fmt: skip

    assert cache_status(page) == "hit"
    assert response.status_code == 303
    comment = Comment.objects.get(body="Posted from a cached page.")
    assert comment.status == Comment.Status.PENDING


def test_the_cached_article_page_is_the_same_for_every_anonymous_reader(client, settings):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    second = Client().get(article.get_absolute_url())

    assert cache_status(second) == "hit"
    assert second.content == first.content
    assert "csrfmiddlewaretoken" not in second.text
    assert not first.cookies and not second.cookies
    assert set(second["Cache-Control"].split(", ")) == {
        "public",
        "max-age=0",
        f"s-maxage={settings.EDGE_CACHE_SECONDS}",
    }


def test_the_cached_form_says_when_it_was_rendered(client):
    """What moderation.py weighs: a form on a page from a cache keeps its rendering time."""
    from django.core import signing

    from comments.forms import TIMESTAMP_SALT

    article = ArticleFactory()
    first = comment_form_of(client.get(article.get_absolute_url())).fields["timestamp"]
    second = comment_form_of(Client().get(article.get_absolute_url())).fields["timestamp"]

    assert second == first
    assert signing.loads(second, salt=TIMESTAMP_SALT)["article"] == article.pk


def test_commenters_email_is_not_logged_when_posting_or_refused(client, caplog, settings):
    settings.COMMENTS_MIN_SECONDS_TO_SUBMIT = 0
    article = ArticleFactory()
    form = comment_form_of(client.get(article.get_absolute_url()))
    comment = {"comment": "Hello", "name": "Ada", "email": "secret.ada@readers.example"}

    with caplog.at_level("DEBUG"):
        accepted = client.post(form.action, {**form.fields, **comment})
        refused = follow_refusal(client, client.post(form.action, {**form.fields, **comment}))

    assert (accepted.status_code, refused.status_code) == (303, 409)
    assert any(record.name == "django.request" for record in caplog.records)
    assert "secret.ada@readers.example" not in caplog.text


def test_comments_added_by_a_repeated_wordpress_import_reach_cached_pages(client, tmp_path):
    from django.core.management import call_command

    from articles.models import Article
    from tests.wordpress.conftest import WXR_HEAD, WXR_TAIL, wxr_comment, wxr_post

    export = tmp_path / "export.xml"
    export.write_text(WXR_HEAD + wxr_post(1, comments=wxr_comment(1)) + WXR_TAIL)
    call_command("import_wxr", str(export), stdout=io.StringIO())
    url = Article.objects.get(wordpress_id=1).get_absolute_url()
    client.get(url)
    later = wxr_comment(1) + wxr_comment(2, content="Added in the second export.")
    export.write_text(WXR_HEAD + wxr_post(1, comments=later) + WXR_TAIL)

    call_command("import_wxr", str(export), stdout=io.StringIO())

    assert "Added in the second export." in Client().get(url).text


def test_erased_commenter_name_leaves_cached_pages_at_once(client):
    comment = CommentFactory(author_name="Ada Lovelace")
    url = comment.article.get_absolute_url()
    assert "Ada Lovelace" in client.get(url).text

    Comment.objects.filter(pk=comment.pk).erase_personal_data()

    assert "Ada Lovelace" not in Client().get(url).text


class TestChangesDeferred:
    """Bulk writers (the WordPress import) take one generation for all their rows."""

    def test_rows_saved_inside_take_one_generation_at_the_end(self):
        from django.db import transaction

        before = generation.current_generation()
        with transaction.atomic(), generation.changes_deferred():
            ArticleFactory()
            CommentFactory(status=Comment.Status.APPROVED)
            assert generation.current_generation() == before

        assert generation.current_generation() != before

    def test_scheduled_articles_saved_inside_still_shorten_page_lives(
        self, django_capture_on_commit_callbacks
    ):
        from datetime import timedelta

        from django.db import transaction
        from django.utils import timezone

        with (
            django_capture_on_commit_callbacks(execute=True),
            transaction.atomic(),
            generation.changes_deferred(),
        ):
            ArticleFactory(published_at=timezone.now() + timedelta(minutes=5))

        assert 290 < generation.seconds_until_scheduled_change() <= 300

    def test_rows_rolled_back_do_not_shorten_page_lives(
        self, settings, django_capture_on_commit_callbacks
    ):
        from datetime import timedelta

        from django.db import transaction
        from django.utils import timezone

        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(ValueError),
            transaction.atomic(),
            generation.changes_deferred(),
        ):
            ArticleFactory(published_at=timezone.now() + timedelta(minutes=5))
            raise ValueError("the import failed")

        assert generation.seconds_until_scheduled_change() is None

    def test_rows_saved_before_an_error_outside_a_transaction_still_reach_readers(self):
        before = generation.current_generation()
        with pytest.raises(ValueError), generation.changes_deferred():
            ArticleFactory()
            raise ValueError("the bulk change failed half-way")

        assert generation.current_generation() != before

    def test_nested_blocks_take_the_generation_when_the_outermost_ends(self):
        before = generation.current_generation()
        with generation.changes_deferred():
            ArticleFactory()
            with generation.changes_deferred():
                pass
            assert generation.current_generation() == before

        assert generation.current_generation() != before

    def test_signals_act_at_once_again_afterwards(self):
        with generation.changes_deferred():
            pass
        before = generation.current_generation()

        ArticleFactory()

        assert generation.current_generation() != before


def test_scheduled_post_from_a_wordpress_import_shortens_page_lives(
    tmp_path, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from tests.wordpress.conftest import WXR_HEAD, WXR_TAIL, wxr_post

    goes_live = (timezone.now() + timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M:%S")
    export = tmp_path / "export.xml"
    export.write_text(WXR_HEAD + wxr_post(1, status="future", date_gmt=goes_live) + WXR_TAIL)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_wxr", str(export), stdout=io.StringIO())

    assert 290 < generation.seconds_until_scheduled_change() <= 300


class TestLocalCopies:
    """Each process keeps the values it last used, checked against the shared generation."""

    def test_a_copy_is_served_while_its_generation_is_current(self):
        current = generation.current_generation()
        fragments.store("test:value", "shared", current)
        cache.delete("test:value", version=current)  # only this process's copy is left

        assert fragments.lookup("test:value")[0] == "shared"

    def test_a_copy_is_never_served_after_a_change(self):
        fragments.store("test:value", "before", generation.current_generation())

        generation.content_changed()

        assert fragments.lookup("test:value")[0] is None

    def test_a_copy_ends_with_its_generation(self):
        fragments.store("test:value", "soon gone", generation.current_generation())

        cache.delete(generation.GENERATION_KEY)  # as when its lifetime is over

        assert fragments.lookup("test:value")[0] is None

    def test_another_process_s_value_is_read_from_the_shared_cache(self):
        current = generation.current_generation()
        cache.set("test:value", "from elsewhere", 60, version=current)

        assert fragments.lookup("test:value")[0] == "from elsewhere"

    def test_values_of_another_generation_are_not_read(self):
        cache.set("test:value", "older", 60, version="an-earlier-generation")
        cache.set("test:value", "unversioned, as an earlier release kept it", 60)

        assert fragments.lookup("test:value")[0] is None

    def test_the_copies_are_bounded(self):
        copies = fragments._LocalCopies(size=2)
        for key in ("a", "b", "c"):
            copies.put(key, (key,))
        copies.get("b")
        copies.put("d", ("d",))

        assert copies.get("a") is None
        assert copies.get("c") is None
        assert copies.get("b") == ("b",)
        assert copies.get("d") == ("d",)


class _CountingGenerationReads:
    """The cache, counting the round trips that read the generation."""

    def __init__(self, cache):
        self._cache = cache
        self.generation_reads = 0

    def get(self, key, *args, **kwargs):
        self.generation_reads += key == generation.GENERATION_KEY
        return self._cache.get(key, *args, **kwargs)

    def get_many(self, keys, *args, **kwargs):
        self.generation_reads += generation.GENERATION_KEY in keys
        return self._cache.get_many(keys, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._cache, name)


class TestGenerationReadOnce:
    """A page of shared parts reads the shared generation once, not once per part."""

    def test_a_reader_with_cookies_reads_it_once_per_view(self, monkeypatch):
        article = ArticleFactory()
        CommentFactory(article=article, status=Comment.Status.APPROVED)
        reader = Client()
        reader.cookies["theme"] = "dark"  # any cookie: the page is rendered for them
        reader.get(article.get_absolute_url())  # the shared parts are stored
        counting = _CountingGenerationReads(generation.cache)
        monkeypatch.setattr(generation, "cache", counting)

        response = reader.get(article.get_absolute_url())

        assert cache_status(response) == "bypass"
        assert counting.generation_reads == 1

    def test_the_next_view_sees_a_change_made_elsewhere(self):
        comment = CommentFactory(status=Comment.Status.APPROVED, body="Said first.")
        article = comment.article
        reader = Client()
        reader.cookies["theme"] = "dark"
        assert "Said first." in reader.get(article.get_absolute_url()).text
        # As another app server changes it: the row and the shared generation, and no
        # signal in this process.
        Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.SPAM)
        cache.set(generation.GENERATION_KEY, "from-another-server", None)

        assert "Said first." not in reader.get(article.get_absolute_url()).text

    def test_a_change_made_while_reading_is_seen_at_once(self):
        with generation.read_once():
            fragments.store("test:value", "before", generation.current_generation())
            assert fragments.lookup("test:value")[0] == "before"

            generation.content_changed()

            assert fragments.lookup("test:value")[0] is None


@pytest.mark.urls("tests.pagecache.urls")
class TestPagesMarkedNotForEveryone:
    """What a view marks as private, uncacheable or cookie-dependent is never stored."""

    def test_an_unmarked_page_is_stored_so_these_tests_can_fail(self):
        assert cache_status(Client().get("/unmarked/")) == "miss"
        assert cache_status(Client().get("/unmarked/")) == "hit"
        assert stored_addresses([("/unmarked/", "testserver")]) == [("/unmarked/", "testserver")]

    @pytest.mark.parametrize("mark", [mark.__name__ for mark in pagecache_urls.GUARDED])
    def test_marked_page_is_rendered_for_each_visitor_and_never_stored(self, mark):
        first, second = Client().get(f"/{mark}/"), Client().get(f"/{mark}/")

        assert (cache_status(first), cache_status(second)) == ("bypass", "bypass")
        assert stored_addresses([(f"/{mark}/", "testserver")]) == []

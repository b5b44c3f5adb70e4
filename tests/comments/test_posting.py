"""What happens when a reader posts the Leave a Reply form."""

import base64
import contextlib
import json
import re
import time
import zlib
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.cookies import AUTHOR_COOKIE, PENDING_COOKIE
from comments.forms import issue_timestamp
from comments.models import Comment
from tests.comment_form import read_comment_form
from tests.comments.conftest import comment_data
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_valid_comment_is_stored_and_the_reader_redirected_to_it(post_comment):
    article = ArticleFactory()

    response = post_comment(article)

    comment = Comment.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert comment.article == article
    assert comment.author_name == "Maria Okafor"
    assert comment.author_email == "maria.okafor@readers.example"
    assert comment.body == "The bus lane on Mill Road has made my commute ten minutes shorter."
    assert comment.body_html == (
        "<p>The bus lane on Mill Road has made my commute ten minutes shorter.</p>"
    )


def test_new_comment_is_held_as_pending_by_default(post_comment):
    post_comment(ArticleFactory())

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reason == "Held for moderation: every new comment is."


def test_ip_address_and_user_agent_are_kept_for_moderators(post_comment):
    post_comment(ArticleFactory(), remote_addr="198.51.100.23")

    comment = Comment.objects.get()
    assert comment.ip_address == "198.51.100.23"
    assert comment.user_agent == "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


def test_a_long_user_agent_is_truncated_to_500_characters(client):
    article = ArticleFactory()

    client.post(
        reverse("comments:post", args=[article.pk]),
        comment_data(article),
        HTTP_USER_AGENT="x" * 900,
    )

    assert len(Comment.objects.get().user_agent) == 500


def test_forwarded_for_header_is_not_believed_by_default(post_comment, client):
    article = ArticleFactory()

    client.post(
        reverse("comments:post", args=[article.pk]),
        comment_data(article),
        REMOTE_ADDR="198.51.100.1",
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )

    assert Comment.objects.get().ip_address == "198.51.100.1"


def test_forwarded_for_header_is_believed_from_a_trusted_proxy(client, settings):
    settings.COMMENTS_TRUSTED_PROXIES = ["10.0.0.2"]
    article = ArticleFactory()

    client.post(
        reverse("comments:post", args=[article.pk]),
        comment_data(article),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.99",
    )

    # The rightmost address the trusted proxy saw; the left one the client could forge.
    assert Comment.objects.get().ip_address == "192.0.2.99"


def test_trusted_proxies_may_be_given_as_networks(client, settings):
    settings.COMMENTS_TRUSTED_PROXIES = ["10.0.0.0/8"]
    article = ArticleFactory()

    client.post(
        reverse("comments:post", args=[article.pk]),
        comment_data(article),
        REMOTE_ADDR="10.1.2.3",
        HTTP_X_FORWARDED_FOR="192.0.2.99, 10.0.0.7",
    )

    assert Comment.objects.get().ip_address == "192.0.2.99"


def test_an_unreadable_forwarded_entry_ends_the_walk(client, settings):
    settings.COMMENTS_TRUSTED_PROXIES = ["10.0.0.0/8"]
    article = ArticleFactory()

    client.post(
        reverse("comments:post", args=[article.pk]),
        comment_data(article),
        REMOTE_ADDR="10.1.2.3",
        HTTP_X_FORWARDED_FOR="6.6.6.6, not-an-address, 10.0.0.7",
    )

    # Whoever wrote the unreadable entry could have written what lies left of it too: the
    # comment is kept under the last address a trusted proxy vouches for.
    assert Comment.objects.get().ip_address == "10.1.2.3"


def test_comment_page_accepts_posts_only(client):
    article = ArticleFactory()

    response = client.get(reverse("comments:post", args=[article.pk]))

    assert response.status_code == 405


def test_comment_on_an_unknown_article_is_404(post_comment):
    article = ArticleFactory()
    article_id = article.pk
    article.delete()
    article.pk = article_id

    assert post_comment(article).status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "unpublished",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"published_at": timezone.now() + timedelta(days=1)},
    ],
)
def test_comment_on_an_unpublished_article_is_404(post_comment, unpublished):
    article = ArticleFactory(**unpublished)

    assert post_comment(article).status_code == 404
    assert not Comment.objects.exists()


def test_comment_on_a_closed_article_is_refused_with_a_message(post_comment):
    article = ArticleFactory(comments_open=False)

    response = post_comment(article)

    assert response.status_code == 403
    html = response.content.decode()
    assert "Comments are closed on this article, so your comment was not posted." in html
    assert article.title in html
    assert not Comment.objects.exists()


def test_comment_after_the_automatic_close_is_refused(post_comment, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 7
    article = ArticleFactory(published_at=timezone.now() - timedelta(days=8))

    assert post_comment(article).status_code == 403
    assert not Comment.objects.exists()


# Validation: a 400 with the article, the errors inline and everything typed kept.


def test_invalid_form_shows_the_errors_and_keeps_everything_typed(post_comment):
    article = ArticleFactory()

    response = post_comment(
        article,
        comment="I think <b>the</b> council & the mayor disagree.",
        name="",
        email="not-an-email",
        url="https://maria.example/blog",
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert article.title in html
    assert "Please give your name." in html
    assert "Enter a valid email address." in html
    assert "I think &lt;b&gt;the&lt;/b&gt; council &amp; the mayor disagree.</textarea>" in html
    assert 'value="not-an-email"' in html
    assert 'value="https://maria.example/blog"' in html
    assert not Comment.objects.exists()


def test_invalid_reply_keeps_the_reply_heading(post_comment):
    article = ArticleFactory()
    parent = CommentFactory(article=article, author_name="Joan Didion")

    response = post_comment(article, parent=parent.pk, comment="")

    assert response.status_code == 400
    html = response.content.decode()
    assert ">Reply to Joan Didion</h2>" in html
    assert f'name="parent" value="{parent.pk}"' in html


def test_remember_me_tick_is_kept_on_an_invalid_form(post_comment):
    response = post_comment(ArticleFactory(), name="", remember="on")

    assert response.status_code == 400
    assert 'name="remember" id="id_remember" checked' in (response.content.decode())


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("comment", ""),
        ("comment", "   \n  "),
        ("comment", "x" * 65526),
        ("name", ""),
        ("name", "n" * 246),
        ("email", ""),
        ("email", "maria@"),
        ("email", "m" * 239 + "@readers.example"),
        ("url", "ftp://files.example/"),
        ("url", "javascript:alert(1)"),
        ("url", "https://maria.example/" + "p" * 179),
    ],
    ids=[
        "empty comment",
        "blank comment",
        "comment over 65525",
        "empty name",
        "name over 245",
        "empty email",
        "malformed email",
        "email over 254",
        "ftp website",
        "javascript website",
        "website over 200",
    ],
)
def test_value_outside_the_limits_is_refused_and_nothing_stored(post_comment, field, value):
    response = post_comment(ArticleFactory(), **{field: value})

    assert response.status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("comment", "x" * 65525),
        ("name", "n" * 245),
        ("email", "m" * 238 + "@readers.example"),
        ("url", "https://maria.example/" + "p" * 178),
        ("url", "http://maria.example"),
    ],
    ids=["comment 65525", "name 245", "email 254", "website 200", "http website"],
)
def test_value_at_the_limit_is_accepted(post_comment, field, value):
    response = post_comment(ArticleFactory(), **{field: value})

    assert response.status_code == 303
    assert Comment.objects.count() == 1


def test_an_address_of_254_characters_is_stored_whole(post_comment):
    address = "maria.okafor." + "m" * 225 + "@readers.example"
    assert len(address) == 254

    post_comment(ArticleFactory(), email=address)

    assert Comment.objects.get().author_email == address


def test_an_address_longer_than_mail_allows_says_so(post_comment):
    response = post_comment(ArticleFactory(), email="m" * 239 + "@readers.example")

    assert response.status_code == 400
    assert "An email address is at most 254 characters long; this one is 255." in (
        response.content.decode()
    )
    assert not Comment.objects.exists()


WEBSITE_REFUSED = "Enter a web address, such as jo.example or https://jo.example/blog."


def test_a_refused_website_is_named_in_the_error_summary(post_comment):
    response = post_comment(ArticleFactory(), url="ftp://files.example/")

    # Once beside the field, once in the error summary at the top of the form.
    page = response.content.decode()
    assert page.count(WEBSITE_REFUSED) == 2
    assert f'<a href="#id_url">Website: {WEBSITE_REFUSED}' in page


@pytest.mark.parametrize(
    "url", ["ftp://files.example/", "javascript:alert(1)", "JavaScript:alert(1)", "jo"]
)
def test_website_that_is_not_a_web_address_says_what_is_expected(post_comment, url):
    response = post_comment(ArticleFactory(), url=url)

    assert response.status_code == 400
    # Beside the field and in the error summary.
    assert response.content.decode().count(WEBSITE_REFUSED) == 2
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("maria.example", "https://maria.example"),
        ("jo.example:8080/blog", "https://jo.example:8080/blog"),
        ("http://jo.example/", "http://jo.example/"),
    ],
)
def test_website_without_a_scheme_is_stored_as_https(post_comment, typed, stored):
    post_comment(ArticleFactory(), url=typed)

    assert Comment.objects.get().author_url == stored


def test_website_field_lets_the_browser_send_a_bare_domain(client):
    # A type="url" input is refused by the browser itself for "jo.example".
    html = client.get(ArticleFactory().get_absolute_url()).content.decode()

    field = re.search(r'<input[^>]*name="url"[^>]*>', html).group()
    assert 'type="text"' in field
    assert 'inputmode="url"' in field


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("comment", "Null \x00 byte"),
        ("comment", "Bell \x07 ringing"),
        ("comment", "Escape \x1b[31m red"),
        ("name", "Maria\x00"),
        ("name", "Maria\tOkafor"),
        ("name", "Maria\nOkafor"),
        ("email", "maria\x00@readers.example"),
        ("url", "https://maria.example/\x08"),
    ],
)
def test_control_characters_are_refused(post_comment, field, value):
    response = post_comment(ArticleFactory(), **{field: value})

    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_tabs_and_line_breaks_are_allowed_in_the_comment(post_comment):
    response = post_comment(ArticleFactory(), comment="First line\n\tindented\r\nthird")

    assert response.status_code == 303
    assert Comment.objects.get().body == "First line\n\tindented\r\nthird"


# Replies.


def test_reply_to_an_approved_comment_is_stored_under_it(post_comment):
    article = ArticleFactory()
    parent = CommentFactory(article=article)

    assert post_comment(article, parent=parent.pk).status_code == 303
    assert Comment.objects.get(parent=parent).article == article


@pytest.mark.parametrize(
    "parent_kind",
    ["another article", "pending", "spam", "removed", "missing", "not a number", "too big"],
)
def test_reply_to_a_comment_readers_cannot_see_here_is_refused(post_comment, parent_kind):
    article = ArticleFactory()
    if parent_kind == "another article":
        parent_id = CommentFactory().pk
    elif parent_kind == "missing":
        parent_id = 999999
    elif parent_kind == "not a number":
        parent_id = "1; drop table"
    elif parent_kind == "too big":
        parent_id = "9" * 30
    else:
        parent_id = CommentFactory(article=article, status=parent_kind).pk
    before = Comment.objects.count()

    response = post_comment(article, parent=parent_id)

    assert response.status_code == 400
    assert "is not a published comment on this article" in response.content.decode()
    assert Comment.objects.count() == before


# Flood control and duplicates.


def test_posting_again_within_15_seconds_is_refused_with_429(post_comment):
    article = ArticleFactory()
    post_comment(article)

    response = post_comment(article, comment="And another thing about the bus lane.")

    assert response.status_code == 429
    html = response.content.decode()
    assert "You are posting comments too quickly. Slow down." in html
    assert "And another thing about the bus lane.</textarea>" in html
    assert Comment.objects.count() == 1


def test_flood_control_holds_across_articles(post_comment):
    post_comment(ArticleFactory())

    assert post_comment(ArticleFactory()).status_code == 429
    assert Comment.objects.count() == 1


def test_another_client_may_post_at_the_same_time(post_comment):
    article = ArticleFactory()
    post_comment(article, remote_addr="198.51.100.1")

    response = post_comment(article, remote_addr="198.51.100.2", email="other@readers.example")

    assert response.status_code == 303
    assert Comment.objects.count() == 2


def test_flood_control_can_be_turned_off(post_comment, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    article = ArticleFactory()
    post_comment(article)

    assert post_comment(article, comment="A second thought.").status_code == 303


def test_flood_limit_lives_in_the_shared_cache(post_comment):
    from django.core.cache import cache

    post_comment(ArticleFactory())

    assert cache.get("comments:flood:203.0.113.7") is True


def test_invalid_form_does_not_use_up_the_posting_slot(post_comment):
    article = ArticleFactory()
    post_comment(article, name="")

    assert post_comment(article).status_code == 303


def test_duplicate_comment_is_refused_and_nothing_stored(post_comment):
    article = ArticleFactory()
    post_comment(article, remote_addr="198.51.100.1")

    response = post_comment(article, remote_addr="198.51.100.2")

    assert response.status_code == 409
    assert (
        "Duplicate comment detected; it looks as though you’ve already said that!"
        in response.content.decode()
    )
    assert Comment.objects.count() == 1


# The earlier comment still awaits moderation; its address as typed, or in other capitals.
@pytest.mark.parametrize(
    "earlier_address", ["maria.okafor@readers.example", "Maria.Okafor@Readers.Example"]
)
def test_duplicate_of_a_comment_still_awaiting_moderation_is_refused(post_comment, earlier_address):
    article = ArticleFactory()
    CommentFactory(
        article=article,
        status=Comment.Status.PENDING,
        author_email=earlier_address,
        body="Same words.",
    )

    assert post_comment(article, comment="Same words.").status_code == 409
    assert Comment.objects.count() == 1


def test_same_words_on_another_article_are_not_a_duplicate(post_comment):
    post_comment(ArticleFactory(), remote_addr="198.51.100.1")

    assert post_comment(ArticleFactory(), remote_addr="198.51.100.2").status_code == 303


# Stale and forged timestamps that a person could meet.


def test_form_left_open_too_long_asks_to_post_again_with_a_fresh_form(post_comment):
    article = ArticleFactory()
    two_days_ago = time.time() - 2 * 24 * 60 * 60

    response = post_comment(article, timestamp=issue_timestamp(article, issued_at=two_days_ago))

    assert response.status_code == 400
    html = response.content.decode()
    assert "This form was open for too long." in html
    assert "The bus lane on Mill Road" in html
    assert not Comment.objects.exists()
    fresh = html.split('name="timestamp" value="')[1].split('"')[0]
    assert post_comment(article, timestamp=fresh).status_code == 303


# The author sees their own pending comment; nobody else does.


def test_author_sees_their_pending_comment_marked_awaiting_moderation(client, post_comment):
    article = ArticleFactory()
    post_comment(article)

    html = client.get(article.get_absolute_url()).content.decode()

    comment = Comment.objects.get()
    assert f'id="comment-{comment.pk}"' in html
    assert "Your comment is awaiting moderation." in html


def test_pending_comment_is_not_shown_to_other_readers(post_comment):
    article = ArticleFactory()
    post_comment(article)

    html = Client().get(article.get_absolute_url()).content.decode()

    assert "The bus lane on Mill Road" not in html
    assert "awaiting moderation" not in html


def test_pending_comment_does_not_count_in_the_heading_even_for_its_author(client, post_comment):
    article = ArticleFactory(title="Bridge reopens")
    CommentFactory(article=article)
    post_comment(article)

    html = client.get(article.get_absolute_url()).content.decode()

    assert "One thought on “Bridge reopens”" in html


def test_pending_cookie_is_signed_httponly_lax_and_lasts_a_few_days(post_comment):
    response = post_comment(ArticleFactory())

    cookie = response.cookies[PENDING_COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert 2 * 86400 <= int(cookie["max-age"]) <= 7 * 86400


def test_forged_pending_cookie_shows_nothing(client):
    article = ArticleFactory()
    pending = CommentFactory(article=article, status=Comment.Status.PENDING, body="Secret draft.")
    client.cookies[PENDING_COOKIE] = json.dumps([pending.pk])

    html = client.get(article.get_absolute_url()).content.decode()

    assert "Secret draft." not in html


def test_pending_cookie_signed_for_another_purpose_shows_nothing(client):
    article = ArticleFactory()
    pending = CommentFactory(article=article, status=Comment.Status.PENDING, body="Secret draft.")
    client.cookies[PENDING_COOKIE] = signing.dumps([pending.pk], salt="something.else")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "Secret draft." not in html


def test_query_parameter_cannot_reveal_a_pending_comment(client):
    article = ArticleFactory()
    pending = CommentFactory(article=article, status=Comment.Status.PENDING, body="Secret draft.")

    html = client.get(
        f"{article.get_absolute_url()}?comments_pending={pending.pk}&unapproved={pending.pk}"
    ).content.decode()

    assert "Secret draft." not in html


def test_pending_cookie_does_not_show_a_comment_once_it_is_spam(client, post_comment):
    article = ArticleFactory()
    post_comment(article)
    Comment.objects.get().mark_spam()

    html = client.get(article.get_absolute_url()).content.decode()

    assert "The bus lane on Mill Road" not in html


# Saving the commenter's details in their own browser.


def test_save_my_details_sets_a_signed_httponly_cookie_for_a_year(post_comment):
    response = post_comment(ArticleFactory(), remember="on")

    cookie = response.cookies[AUTHOR_COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 365 * 86400
    assert "maria.okafor@readers.example" not in cookie.value


def _every_reading_of(cookie_value):
    """The cookie's value and whatever base64 (and zlib) inside it decodes to."""
    readings = [cookie_value]
    for part in re.split(r"[:.]", cookie_value):
        for decode in (base64.urlsafe_b64decode, base64.b64decode):
            try:
                raw = decode(part + "=" * (-len(part) % 4))
            except ValueError:
                continue
            readings.append(raw.decode("latin-1"))
            with contextlib.suppress(zlib.error):
                readings.append(zlib.decompress(raw).decode("latin-1"))
    return readings


def test_saved_details_cookie_does_not_hold_the_email_in_readable_form(post_comment):
    response = post_comment(ArticleFactory(), remember="on")

    value = response.cookies[AUTHOR_COOKIE].value
    for reading in _every_reading_of(value):
        assert "maria.okafor@readers.example" not in reading
        assert "Maria Okafor" not in reading
    email_b64 = base64.b64encode(b"maria.okafor@readers.example").decode().rstrip("=")
    assert email_b64[4:-4] not in value


def test_tampered_saved_details_cookie_prefills_nothing(client, post_comment):
    article = ArticleFactory()
    post_comment(article, remember="on")
    value = client.cookies[AUTHOR_COOKIE].value
    middle = len(value) // 2
    client.cookies[AUTHOR_COOKIE] = (
        value[:middle] + ("A" if value[middle] != "A" else "B") + value[middle + 1 :]
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert 'value="maria.okafor@readers.example"' not in html
    assert 'value="Maria Okafor"' not in html


def test_saved_details_prefill_the_form_in_that_browser(client, post_comment):
    article = ArticleFactory()
    post_comment(article, remember="on", url="https://maria.example/")

    html = client.get(ArticleFactory().get_absolute_url()).content.decode()

    assert 'value="Maria Okafor"' in html
    assert 'value="maria.okafor@readers.example"' in html
    assert 'value="https://maria.example/"' in html


def test_saved_details_are_not_shown_to_another_browser(post_comment):
    article = ArticleFactory()
    post_comment(article, remember="on")

    html = Client().get(article.get_absolute_url()).content.decode()

    assert "Maria Okafor" not in html
    assert "maria.okafor@readers.example" not in html


def test_without_the_tick_no_details_are_saved(client, post_comment):
    article = ArticleFactory()
    post_comment(article)

    html = client.get(article.get_absolute_url()).content.decode()

    assert 'value="maria.okafor@readers.example"' not in html


def test_unticking_save_my_details_clears_the_cookie(client, post_comment):
    article = ArticleFactory()
    post_comment(article, remember="on", remote_addr="198.51.100.1")

    response = post_comment(article, comment="Changed my mind.", remote_addr="198.51.100.2")

    assert response.cookies[AUTHOR_COOKIE]["max-age"] == 0
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'value="maria.okafor@readers.example"' not in html


def test_forged_author_cookie_prefills_nothing(client):
    article = ArticleFactory()
    client.cookies[AUTHOR_COOKIE] = json.dumps({"name": "Mallory", "email": "m@evil.example"})

    html = client.get(article.get_absolute_url()).content.decode()

    assert "Mallory" not in html


# Logged-in readers.


def test_logged_in_reader_comments_as_their_account(client, post_comment):
    user = UserFactory(first_name="Grace", last_name="Hopper", email="grace@staff.example")
    client.force_login(user)
    article = ArticleFactory()

    response = post_comment(article, name="", email="")

    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.user == user
    assert comment.author_name == "Grace Hopper"
    assert comment.author_email == "grace@staff.example"


# Where the redirect lands.


def test_redirect_lands_on_the_comment_page_holding_the_new_comment(post_comment, settings):
    settings.COMMENTS_PER_PAGE = 2
    article = ArticleFactory()
    CommentFactory.create_batch(2, article=article)

    response = post_comment(article)

    comment = Comment.objects.get(author_name="Maria Okafor")
    assert response["Location"] == f"{article.get_absolute_url()}?cpage=2#comment-{comment.pk}"


def test_comment_permalink_redirects_to_its_page_and_anchor(client, settings):
    settings.COMMENTS_PER_PAGE = 1
    article = ArticleFactory()
    _, second = CommentFactory.create_batch(2, article=article)

    response = client.get(second.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}?cpage=2#comment-{second.pk}"


def test_permalink_of_a_comment_readers_cannot_see_is_404(client):
    pending = CommentFactory(status=Comment.Status.PENDING)

    assert client.get(pending.get_absolute_url()).status_code == 404


def test_links_on_a_form_sent_back_with_errors_lead_to_the_article(post_comment, settings):
    settings.COMMENTS_PER_PAGE = 1
    article = ArticleFactory()
    first, _ = CommentFactory.create_batch(2, article=article)

    html = post_comment(article, name="", parent=first.pk).content.decode()

    url = article.get_absolute_url()
    assert f'href="{url}?replytocom={first.pk}#respond"' in html
    assert f'href="{url}?cpage=2#comments">Newer comments' in html
    assert f'href="{url}#comment-{first.pk}">Cancel reply' in html


def test_authors_pending_reply_is_shown_nested_under_the_comment_it_answers(client, post_comment):
    article = ArticleFactory()
    parent = CommentFactory(article=article)
    post_comment(article, parent=parent.pk)

    html = client.get(article.get_absolute_url()).content.decode()

    reply = Comment.objects.get(parent=parent)
    assert html.index(f'id="comment-{parent.pk}"') < html.index('<ol class="children">')
    assert f'id="comment-{reply.pk}" class="comment depth-2 comment-awaiting"' in html


# Timing rules that do not punish people.


def test_stale_form_posted_again_at_once_is_stored_and_shown_to_its_author(client, post_comment):
    article = ArticleFactory()
    two_days_ago = time.time() - 2 * 24 * 60 * 60
    refused = post_comment(article, timestamp=issue_timestamp(article, issued_at=two_days_ago))
    _, fields = read_comment_form(refused.content.decode())

    response = post_comment(article, timestamp=fields["timestamp"], comment=fields["comment"])

    comment = Comment.objects.get()
    assert response.status_code == 303
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reason == "Held for moderation: every new comment is."
    html = client.get(response["Location"]).content.decode()
    assert f'id="comment-{comment.pk}"' in html
    assert "Your comment is awaiting moderation." in html


def test_form_shown_again_after_an_error_is_fresh_but_keeps_when_it_was_opened(
    post_comment, settings, monkeypatch
):
    settings.COMMENTS_FORM_MAX_AGE_SECONDS = 30
    article = ArticleFactory()
    opened = time.time() - 20
    refused = post_comment(article, name="", timestamp=issue_timestamp(article, opened))
    _, fields = read_comment_form(refused.content.decode())
    # Fifteen seconds to fix the name: 35 s after the form was opened, more than the
    # form's lifetime, yet the form shown again was shown 15 s ago.
    later = time.time() + 15
    monkeypatch.setattr(time, "time", lambda: later)

    response = post_comment(article, timestamp=fields["timestamp"])

    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.moderation_reason == "Held for moderation: every new comment is."


# Wherever the redirect after posting leads, the comment is there.


def _anchor_is_on_the_page(client, location):
    path, _, anchor = location.partition("#")
    page = client.get(path)
    assert page.status_code == 200
    return f'id="{anchor}"' in page.content.decode()


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({}, "pending"),
        ({"timestamp": "fresh"}, "pending"),
        ({"subject": "Buy now"}, "spam"),
        ({"timestamp": "forged"}, "spam"),
        ({"comment": "Cheap casino chips here."}, "spam"),
        ({"returning": True}, "approved"),
    ],
    ids=["held", "too fast", "honeypot", "forged timestamp", "disallowed word", "approved"],
)
def test_the_poster_lands_on_their_comment_whatever_the_policy_decided(
    client, post_comment, settings, fields, status
):
    settings.COMMENTS_DISALLOWED_WORDS = ["casino"]
    settings.COMMENTS_AUTO_APPROVE_RETURNING = True
    article = ArticleFactory()
    if fields.pop("returning", False):
        CommentFactory(author_name="Maria Okafor", author_email="maria.okafor@readers.example")
    if fields.get("timestamp") == "fresh":
        fields["timestamp"] = issue_timestamp(article)

    response = post_comment(article, **fields)

    comment = Comment.objects.get(article=article)
    assert comment.status == status
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert _anchor_is_on_the_page(client, response["Location"])
    if status != "approved":
        html = client.get(response["Location"]).content.decode()
        assert "Your comment is awaiting moderation." in html


@pytest.mark.parametrize(
    ("status", "by_a_moderator"),
    [
        ("pending", False),
        ("approved", False),
        ("spam", False),
        ("spam", True),
        ("removed", True),
    ],
    ids=["pending", "approved", "spam by the policy", "spam by a moderator", "removed"],
)
def test_the_place_of_a_comment_is_never_an_anchor_missing_from_the_page(
    client, status, by_a_moderator
):
    from comments.views import _comment_location

    article = ArticleFactory()
    comment = CommentFactory(
        article=article,
        status=status,
        status_changed_at=timezone.now() if by_a_moderator else None,
    )
    client.cookies[PENDING_COOKIE] = signing.dumps(
        [comment.pk], salt="comments.cookies.pending", compress=True
    )

    location = _comment_location(comment, [comment.pk])

    assert _anchor_is_on_the_page(client, location)
    if by_a_moderator:
        assert location == f"{article.get_absolute_url()}#comments"

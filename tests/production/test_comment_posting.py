"""Readers posting comments at once, under gunicorn with several workers.

Every reader plays a browser from its own loopback address (127.0.0.0/8), so flood control,
keyed on the client's IP, applies per reader as it would on the internet.
"""

import re
import time
from concurrent.futures import ThreadPoolExecutor

from .server import CommentFormFields, Reader

COMMENTS = 300
CONCURRENT_CLIENTS = 12
TIME_LIMIT = 240


def comment_form(reader, article_url):
    page = reader.get(article_url)
    assert page.status == 200
    form = CommentFormFields()
    form.feed(page.text)
    assert form.action, "no comment form on the article page"
    return form


def send_comment(reader, article_url, body, email):
    """The answer to the POST itself."""
    form = comment_form(reader, article_url)
    data = {**form.fields, "comment": body, "name": "Concurrent reader", "email": email}
    return reader.post(form.action, data)


def shown_after(reader, response):
    """For a refused comment (303 to ?unposted=), the page showing the refusal, with its
    status, as a browser follows the 303 (whichever worker answers: what was typed is
    kept in the shared cache); any other response as it is."""
    location = response.headers.get("Location", "")
    if response.status == 303 and "?unposted=" in location:
        return reader.get(location.partition("#")[0])
    return response


def post_comment(reader, article_url, body, email):
    return shown_after(reader, send_comment(reader, article_url, body, email))


def stored_bodies(server, prefix):
    output = server.shell(
        "from comments.models import Comment\n"
        f"comments = Comment.objects.filter(body__startswith={prefix!r})\n"
        "print('\\n'.join(comments.values_list('body', flat=True)))\n"
    )
    return output.splitlines()


def test_hundreds_of_concurrent_comments_are_each_stored_exactly_once(server):
    started = time.monotonic()

    def commenter_posts(number):
        if time.monotonic() - started > TIME_LIMIT:
            return None
        # Each commenter from an address of their own, as on the internet.
        reader = Reader(server.port, f"127.0.{10 + number // 200}.{number % 200 + 1}")
        body = f"load test comment {number}"
        return body, post_comment(reader, server.article_url, body, f"r{number}@readers.example")

    with ThreadPoolExecutor(max_workers=CONCURRENT_CLIENTS) as pool:
        results = [result for result in pool.map(commenter_posts, range(COMMENTS)) if result]

    statuses = {body: response.status for body, response in results}
    assert len(statuses) >= 200, "too few comments were sent in the time allowed"
    assert [status for status in statuses.values() if status >= 500] == []
    assert set(statuses.values()) == {303}
    assert sorted(stored_bodies(server, "load test comment ")) == sorted(statuses)


def test_flood_control_holds_for_one_reader_across_workers(server):
    served_by_two_workers = False
    # Which idle worker accepts a connection is the kernel's choice: once in a full run,
    # ten pairs in a row all went to one. Fifty make that vanishingly rare.
    for attempt in range(50):
        reader = Reader(server.port, f"127.0.3.{attempt + 1}")
        first = send_comment(reader, server.article_url, f"flood {attempt} a", "f@readers.example")
        second = send_comment(reader, server.article_url, f"flood {attempt} b", "f@readers.example")
        assert (first.status, shown_after(reader, second).status) == (303, 429)
        workers = {
            entry["worker"]
            for response in (first, second)
            for entry in server.wait_for_log(
                lambda entry, rid=response.headers["X-Request-ID"]: (
                    entry.get("request_id") == rid and entry.get("method") == "POST"
                )
            )
        }
        if len(workers) == 2:
            served_by_two_workers = True
            break
    assert served_by_two_workers, "every pair of posts was served by the same worker"


def test_commenters_emails_never_reach_the_logs(server):
    reader = Reader(server.port, "127.0.4.1")
    response = post_comment(reader, server.article_url, "Logged?", "hidden.address@readers.example")
    assert response.status == 303
    reader.get(response.headers["Location"])

    assert "hidden.address@readers.example" not in server.log_path.read_text()
    assert not re.search(r"hidden\.address", server.log_path.read_text())

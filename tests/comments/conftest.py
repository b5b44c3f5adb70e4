import time

import pytest
from django.urls import reverse

from comments.forms import issue_timestamp
from tests.comment_form import follow_refusal


def comment_data(article, **overrides):
    """What a person's browser sends from the Leave a Reply form, a minute after loading it."""
    data = {
        "comment": "The bus lane on Mill Road has made my commute ten minutes shorter.",
        "name": "Maria Okafor",
        "email": "maria.okafor@readers.example",
        "url": "",
        "subject": "",
        "parent": "",
        "timestamp": issue_timestamp(article, issued_at=time.time() - 60),
    }
    data.update(overrides)
    return data


@pytest.fixture
def post_comment(client):
    """Post the comment form for an article; keyword arguments replace form fields. A
    refused comment's response is the page it is shown on (follow_refusal)."""

    def post(article, client=client, remote_addr="203.0.113.7", **overrides):
        response = client.post(
            reverse("comments:post", args=[article.pk]),
            comment_data(article, **overrides),
            REMOTE_ADDR=remote_addr,
            HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
        )
        # A refusal: the page it is shown on, as a browser follows the 303 to it.
        return follow_refusal(client, response)

    return post

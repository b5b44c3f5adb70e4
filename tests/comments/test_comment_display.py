"""How each comment shows its date and its id: as Django would, and cheaply (issue 9)."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from tests.factories import CommentFactory

DISPLAY = r"j F Y \a\t H:i"
SUBMITTED = datetime(2026, 3, 14, 21, 5, tzinfo=UTC)


def _render(source, value):
    return Template("{% load comments_tags %}" + source).render(Context({"value": value}))


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo"])
def test_comment_date_reads_as_the_date_filter_in_each_time_zone(zone):
    with timezone.override(zone):
        # The first zone's reading is remembered; each other zone must still get its own.
        for source in ("{{ value|comment_date:'%s' }}", "{{ value|comment_date:'c' }}"):
            remembered = _render(source.replace("%s", DISPLAY), SUBMITTED)
            expected = _render(
                source.replace("comment_date", "date").replace("%s", DISPLAY), SUBMITTED
            )
            assert remembered == expected


def test_comment_date_follows_the_active_language():
    _render("{{ value|comment_date:'F' }}", SUBMITTED)

    with translation.override("de"):
        assert _render("{{ value|comment_date:'F' }}", SUBMITTED) == "März"


@pytest.mark.django_db
def test_comment_shows_its_date_in_the_site_time_zone(client, settings):
    settings.TIME_ZONE = "Europe/Paris"
    comment = CommentFactory(submitted_at=SUBMITTED)

    response = client.get(comment.article.get_absolute_url())

    assert "14 March 2026 at 22:05" in response.text
    assert 'datetime="2026-03-14T22:05:00+01:00"' in response.text


@pytest.mark.django_db
def test_comment_anchor_and_reply_link_keep_plain_ids_with_thousand_separators(client, settings):
    settings.USE_THOUSAND_SEPARATOR = True
    comment = CommentFactory(pk=12345)

    response = client.get(comment.article.get_absolute_url())

    assert 'id="comment-12345"' in response.text
    assert "replytocom=12345#respond" in response.text
    assert "12,345" not in response.text

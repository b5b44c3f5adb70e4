"""Reader reports: the link, the page, one per browser, flood control, the hold after N,
the queue's filter, and the moderator's decision recorded on the reports."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Comment, CommentReport, CommentStatusChange
from comments.views import ALREADY_REPORTED, REPORT_THANKS
from pagecache import middleware
from tests.admin.conftest import staff_in
from tests.factories import CommentFactory, PendingCommentFactory

pytestmark = pytest.mark.django_db

Reason, Decision = CommentReport.Reason, CommentReport.Decision
QUEUE = reverse("admin:comments_comment_changelist")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def report_url(comment):
    return reverse("comments:report", args=[comment.pk])


def report(client, comment, reason=Reason.ABUSE, text="", ip="198.51.100.4", **extra):
    return client.post(
        report_url(comment), {"reason": reason, "text": text}, REMOTE_ADDR=ip, **extra
    )


@pytest.fixture
def moderator_client():
    client = Client()
    client.force_login(staff_in("Moderators", username="moderator"))
    return client


def test_every_approved_comment_has_the_same_report_link_for_everyone(client):
    comment = CommentFactory()

    page = client.get(comment.article.get_absolute_url()).content.decode()
    cached = Client().get(comment.article.get_absolute_url())

    assert f'href="{report_url(comment)}"' in page
    assert cached[middleware.STATUS_HEADER] == "hit"
    assert f'href="{report_url(comment)}"' in cached.content.decode()


def test_the_report_page_shows_the_comment_and_the_reasons_and_is_never_cached(client):
    comment = CommentFactory(body="Words worth reporting.")

    response = client.get(report_url(comment))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Words worth reporting." in content
    for label in Reason.labels:
        assert label.replace("'", "&#x27;") in content
    assert "no-cache" in response["Cache-Control"]
    assert middleware.STATUS_HEADER not in response


@pytest.mark.parametrize(
    "status", [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.REMOVED]
)
def test_only_approved_comments_can_be_reported(client, status):
    comment = CommentFactory(status=status)

    assert client.get(report_url(comment)).status_code == 404
    assert report(client, comment).status_code == 404


def test_a_report_is_stored_and_the_reader_is_thanked_at_the_comment(client):
    comment = CommentFactory()

    response = report(client, comment, Reason.PERSONAL_DATA, "It gives my home address.")

    assert response.status_code == 303
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    stored = CommentReport.objects.get()
    assert (stored.comment, stored.reason, stored.text) == (
        comment,
        Reason.PERSONAL_DATA,
        "It gives my home address.",
    )
    assert stored.resolved_at is None
    landing = client.get(response["Location"])
    assert REPORT_THANKS in landing.content.decode()
    # Once shown, the thanks are gone, and the page is shared again.
    assert REPORT_THANKS not in client.get(response["Location"]).content.decode()


def test_the_reported_cookie_only_goes_to_the_report_pages(client):
    response = report(client, CommentFactory())

    cookie = response.cookies["comments_reported"]
    assert cookie["path"] == "/comments/report/"
    assert cookie["httponly"]


def test_one_report_per_browser_per_comment(client, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    comment = CommentFactory()
    report(client, comment)

    again = report(client, comment, Reason.SPAM)

    assert again.status_code == 200
    assert ALREADY_REPORTED in again.content.decode()
    assert CommentReport.objects.count() == 1
    assert ALREADY_REPORTED in client.get(report_url(comment)).content.decode()


def test_another_browser_may_report_the_same_comment(client, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    comment = CommentFactory()
    report(client, comment)

    report(Client(), comment)

    assert CommentReport.objects.count() == 2


def test_reports_are_flood_controlled_per_ip_address(client):
    first, second = CommentFactory.create_batch(2)
    report(client, first, ip="198.51.100.4")

    refused = report(Client(), second, ip="198.51.100.4")
    elsewhere = report(Client(), second, ip="198.51.100.5")

    assert refused.status_code == 429
    assert "too quickly" in refused.content.decode()
    assert elsewhere.status_code == 303
    assert CommentReport.objects.count() == 2


def test_a_report_without_a_reason_is_refused_and_nothing_is_stored(client):
    response = client.post(report_url(CommentFactory()), {"reason": "", "text": "Hmm"})

    assert response.status_code == 400
    assert "Your report was not sent" in response.content.decode()
    assert not CommentReport.objects.exists()


def test_an_overlong_text_is_refused(client):
    response = report(client, CommentFactory(), text="x" * 1001)

    assert response.status_code == 400
    assert not CommentReport.objects.exists()


def test_the_report_form_needs_its_csrf_token():
    client = Client(enforce_csrf_checks=True)
    comment = CommentFactory()

    refused = client.post(report_url(comment), {"reason": Reason.SPAM})
    token = TOKEN.search(client.get(report_url(comment)).content.decode())[1]
    accepted = client.post(
        report_url(comment), {"reason": Reason.SPAM, "csrfmiddlewaretoken": token}
    )

    assert refused.status_code == 403
    assert accepted.status_code == 303


def test_a_comment_is_held_after_the_set_number_of_reports_with_an_audit_row(settings):
    settings.COMMENTS_REPORTS_TO_HOLD = 2
    comment = CommentFactory()
    report(Client(), comment, ip="198.51.100.1")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED

    report(Client(), comment, ip="198.51.100.2")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    change = CommentStatusChange.objects.get(comment=comment)
    assert change.note == "Held for a moderator after 2 reader reports."
    assert change.changed_by is None


def test_reports_never_hold_when_the_setting_is_zero(settings):
    settings.COMMENTS_REPORTS_TO_HOLD = 0
    comment = CommentFactory()
    for n in range(3):
        report(Client(), comment, ip=f"198.51.100.{n + 1}")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_the_queue_filter_lists_reported_comments_with_reasons_and_counts(
    moderator_client, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 0
    reported = CommentFactory(body="Reported words.")
    CommentFactory(body="Unreported words.")
    for reason in (Reason.SPAM, Reason.SPAM, Reason.ABUSE):
        report(Client(), reported, reason)

    queue = moderator_client.get(QUEUE).content.decode()
    listed = moderator_client.get(QUEUE, {"reported": "open", "status": "all"})

    assert "Reported (1)" in queue
    content = listed.content.decode()
    assert "Reported words." in content
    assert "Unreported words." not in content
    assert "Spam or advertising ×2" in content
    assert "Abuse, harassment or hate ×1" in content


def test_the_reported_filter_costs_the_same_for_1_or_20_reported_comments(
    moderator_client, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_REPORTS_TO_HOLD = 0

    def queries():
        with CaptureQueriesContext(connection) as captured:
            moderator_client.get(QUEUE, {"reported": "open", "status": "all"})
        return len(captured)

    report(Client(), CommentFactory())
    few = queries()
    for comment in CommentFactory.create_batch(19):
        report(Client(), comment)

    assert queries() == few


def test_a_bulk_approve_records_kept_on_the_reports(moderator_client, settings):
    settings.COMMENTS_REPORTS_TO_HOLD = 1
    comment = CommentFactory()
    report(Client(), comment)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING

    moderator_client.post(
        f"{QUEUE}?status=all", {"action": "approve", ACTION_CHECKBOX_NAME: [comment.pk]}
    )

    stored = CommentReport.objects.get()
    assert stored.decision == Decision.KEPT
    assert stored.resolved_by.username == "moderator"
    assert stored.resolved_at is not None
    assert stored.decision_reason == "Marked approved by a moderator."


def test_the_decision_and_its_reason_are_recorded_from_the_comments_page(moderator_client):
    comment = CommentFactory()
    report(Client(), comment, Reason.ILLEGAL, "Defamation.")
    page = moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))
    assert "Reader reports (1)" in page.content.decode()
    assert "Defamation." in page.content.decode()

    moderator_client.post(
        reverse("admin:comments_comment_resolve_reports", args=[comment.pk]),
        {"decision": Decision.REMOVED, "reason": "Names a private person as a criminal."},
    )

    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED
    stored = CommentReport.objects.get()
    assert stored.decision == Decision.REMOVED
    assert stored.decision_reason == "Names a private person as a criminal."
    audit = CommentStatusChange.objects.get(comment=comment)
    assert audit.note == "Names a private person as a criminal."


def test_keeping_an_approved_comment_is_audited_too(moderator_client):
    comment = CommentFactory()
    report(Client(), comment, Reason.OFF_TOPIC)

    moderator_client.post(
        reverse("admin:comments_comment_resolve_reports", args=[comment.pk]),
        {"decision": Decision.KEPT, "reason": "On topic: it answers the article."},
    )

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert CommentReport.objects.get().decision == Decision.KEPT
    audit = CommentStatusChange.objects.get(comment=comment)
    assert audit.note == "Reports resolved (Kept): On topic: it answers the article."


def test_a_decision_needs_a_reason(moderator_client):
    comment = CommentFactory()
    report(Client(), comment)

    moderator_client.post(
        reverse("admin:comments_comment_resolve_reports", args=[comment.pk]),
        {"decision": Decision.REMOVED, "reason": ""},
    )

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert CommentReport.objects.open().count() == 1


def test_editors_cannot_decide_on_reports(client):
    editor = staff_in("Editors", username="editor")
    client.force_login(editor)
    comment = CommentFactory()

    response = client.post(
        reverse("admin:comments_comment_resolve_reports", args=[comment.pk]),
        {"decision": Decision.REMOVED, "reason": "x"},
    )

    assert response.status_code == 403


def test_a_report_holds_no_personal_data_of_the_reporter(client):
    report(client, CommentFactory(), ip="198.51.100.77")

    fields = {field.name for field in CommentReport._meta.get_fields()}
    assert not fields & {"ip_address", "reporter_ip", "email", "user_agent"}
    assert "198.51.100.77" not in str(CommentReport.objects.values().get())


def test_a_pending_comment_shows_no_report_link_to_its_author(client):
    pending = PendingCommentFactory()

    page = client.get(pending.article.get_absolute_url()).content.decode()

    assert report_url(pending) not in page

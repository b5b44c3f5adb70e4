"""The pages email links open: confirming an address, and unsubscribing.

Both answer a GET with a page and a button, and act only on POST: mail scanners and link
previews follow every link in a mail, and must not confirm or unsubscribe anyone.
"""

from http import HTTPStatus

from django.core import signing
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from articles.models import Article

from .subscriptions import UNSUBSCRIBE_SALT, Subscriber

CONFIRMATION_EXPIRED = (
    "This confirmation link has expired: links work for 7 days. Tick a notification box "
    "again when you next comment, and we will send you a new one."
)
CONFIRMATION_INVALID = (
    "This confirmation link is not valid. Check that you copied the whole link from the "
    "email; if it still does not work, tick a notification box again when you next comment."
)
UNSUBSCRIBE_INVALID = (
    "This unsubscribe link is not valid, or the address it was for is no longer on our "
    "list. Check that you copied the whole link from the email."
)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_subscription(request, token):
    try:
        subscriber = Subscriber.from_confirmation_token(token)
    except signing.SignatureExpired:
        return _refused(request, "comments/confirm_subscription.html", CONFIRMATION_EXPIRED)
    except signing.BadSignature:
        return _refused(request, "comments/confirm_subscription.html", CONFIRMATION_INVALID)
    if request.method == "POST":
        subscriber.confirm()
        return render(request, "comments/confirm_subscription.html", {"confirmed": True})
    return render(
        request, "comments/confirm_subscription.html", {"confirmed": subscriber.is_receiving}
    )


# Exempt from CSRF: RFC 8058's one-click POST comes from the reader's mail client, which
# has no CSRF cookie or token. What protects it instead is the signed token in the URL,
# which only the subscriber's own mails carry; and all it can do is stop mail.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        subscriber = Subscriber.objects.get(pk=data["s"])
        article = Article.objects.get(pk=data["a"]) if data["a"] is not None else None
    except (
        signing.BadSignature,
        Subscriber.DoesNotExist,
        Article.DoesNotExist,
        KeyError,
        TypeError,
        ValueError,
    ):
        return _refused(request, "comments/unsubscribe.html", UNSUBSCRIBE_INVALID)
    context = {"article": article, "done": False}
    if request.method == "POST":
        subscriber.unsubscribe(article)
        context["done"] = True
    return render(request, "comments/unsubscribe.html", context)


def _refused(request, template, message):
    return render(request, template, {"error": message}, status=HTTPStatus.BAD_REQUEST)

"""The Leave a Reply form: validation and cleaning of what a reader sends.

The form only observes what a bot gives away (a filled honeypot, a form sent back too
soon, a forged timestamp); what to do about it is comments/moderation.py's decision.
"""

import functools
import time
import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.forms.utils import ErrorDict

from .models import EMAIL_MAX_LENGTH, Comment
from .moderation import SubmissionEvidence
from .threads import ReplyTarget

TIMESTAMP_SALT = "comments.form.timestamp"
COMMENT_MAX_LENGTH = 65525
NAME_MAX_LENGTH = 245
WEBSITE_MAX_LENGTH = 200
LINE_BREAKS_AND_TABS = frozenset("\t\n\r")
NOTIFY_FIELDS = ("notify_followups", "notify_approval")


def issue_timestamp(article, issued_at=None, *, opened_at=None):
    """A signed note of when (and for which article) the form was rendered.

    Two times: `issued`, when this form was rendered (a form too old is refused as stale),
    and `opened`, when it was first rendered for this comment (a comment sent sooner after
    that than people write is held); the same for a new form, but a form shown again after
    an error or as stale keeps the first. A form on a page from a cache was rendered
    before this reader got it: comments/moderation.py says how the rules weigh that.
    """
    issued_at = time.time() if issued_at is None else issued_at
    opened_at = issued_at if opened_at is None else opened_at
    return signing.dumps(
        {"article": article.pk, "issued": issued_at, "opened": opened_at}, salt=TIMESTAMP_SALT
    )


def _has_control_characters(value, allowed=frozenset()):
    return any(unicodedata.category(char) == "Cc" and char not in allowed for char in value)


def reject_control_characters(value):
    if _has_control_characters(value):
        raise ValidationError(
            "Remove the control characters (such as tabs or line breaks) from this field.",
            code="control_characters",
        )


def reject_control_characters_in_text(value):
    if _has_control_characters(value, allowed=LINE_BREAKS_AND_TABS):
        raise ValidationError(
            "Your comment contains control characters; remove them and try again.",
            code="control_characters",
        )


def reject_unreadable_characters(value):
    # Django decodes bytes that are not UTF-8 as U+FFFD rather than failing; storing the
    # result would keep a garbled comment the reader never wrote.
    if "\ufffd" in value:
        raise ValidationError(
            "Some characters could not be read (they were not sent as UTF-8); "
            "type them again and resend.",
            code="unreadable_characters",
        )


class WebsiteField(forms.URLField):
    """A web page: http or https only (URLField alone also takes ftp). A bare domain, as
    people type it ("jo.example", "jo.example:8080/blog"), is taken as https://."""

    default_validators = [URLValidator(schemes=["http", "https"])]

    def to_python(self, value):
        value = str(value or "").strip()
        before_colon, colon, _ = value.partition(":")
        if colon and "." in before_colon:
            # "jo.example:8080" reads as the scheme "jo.example"; no scheme people use has a
            # dot, so this is a host. "javascript:…" keeps its scheme and is refused.
            value = f"{self.assume_scheme}://{value}"
        return super().to_python(value)


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="Comment",
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45}),
        validators=[reject_control_characters_in_text, reject_unreadable_characters],
        error_messages={"required": "Please type your comment."},
    )
    name = forms.CharField(
        label="Name",
        max_length=NAME_MAX_LENGTH,
        validators=[reject_control_characters, reject_unreadable_characters],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Please give your name."},
    )
    email = forms.EmailField(
        label="Email",
        max_length=EMAIL_MAX_LENGTH,
        validators=[reject_control_characters, reject_unreadable_characters],
        widget=forms.EmailInput(attrs={"autocomplete": "email", "aria-describedby": "email-notes"}),
        error_messages={
            "required": "Please give your email address; it is not published.",
            "max_length": (
                f"An email address is at most {EMAIL_MAX_LENGTH} characters long; "
                "this one is %(show_value)d."
            ),
        },
    )
    url = WebsiteField(
        label="Website",
        required=False,
        max_length=WEBSITE_MAX_LENGTH,
        assume_scheme="https",
        validators=[reject_control_characters, reject_unreadable_characters],
        # Text, not type="url": browsers refuse "jo.example" there before we see it.
        widget=forms.TextInput(
            attrs={
                "autocomplete": "url",
                "inputmode": "url",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
        error_messages={
            "invalid": "Enter a web address, such as jo.example or https://jo.example/blog."
        },
    )
    remember = forms.BooleanField(
        label="Save my name, email, and website in this browser for the next time I comment.",
        required=False,
    )
    # Both unticked by default; either sends one confirmation email (double opt-in, see
    # comments/subscriptions.py). "Follow-up comments" is the whole discussion.
    notify_followups = forms.BooleanField(
        label="Notify me of follow-up comments by email.", required=False
    )
    notify_approval = forms.BooleanField(
        label="Notify me when my comment is approved.", required=False
    )
    # Hidden from people by the stylesheet and from assistive technology by aria-hidden;
    # bots that fill in every field fill in this one too.
    subject = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    # Checked in clean(): errors on a hidden field would not be shown to the reader.
    parent = forms.CharField(required=False, widget=forms.HiddenInput)
    timestamp = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, article, *args, user=None, **kwargs):
        self.article = article
        self.user = user if user is not None and user.is_authenticated else None
        self.parent_comment = None
        self.evidence = None
        self.form_is_stale = False
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # A form sent back is shown with what was sent, its own timestamp included.
            self.initial.setdefault("timestamp", issue_timestamp(article))
        if self.user is not None:
            # A logged-in reader comments as their account: nothing to type or remember.
            for name in ("name", "email", "url", "remember"):
                del self.fields[name]
            if not self.user.email:
                # Nowhere to send notifications to.
                for name in NOTIFY_FIELDS:
                    del self.fields[name]

    @classmethod
    def sent_back(cls, article, values, errors, *, user=None):
        """The form a refused post sent back (comments/unposted.py), shown on a later GET:
        what was typed (typed_values) and the errors it was refused with
        (ErrorDict.get_json_data()), not judged again."""
        data = {name: value for name, value in values.items() if name != "remember"}
        if values.get("remember"):
            data["remember"] = "on"
        form = cls(article, data=data, user=user)
        form.cleaned_data = {}
        form._errors = ErrorDict()
        for field, messages in errors.items():
            # A field the form no longer has (the reader has since logged in): the form's.
            name = field if field in form.fields else None
            for message in messages:
                form.add_error(name, ValidationError(message["message"], code=message["code"]))
        form._describe_email_errors()
        return form

    def full_clean(self):
        super().full_clean()
        self._describe_email_errors()

    def _describe_email_errors(self):
        # The email field names the privacy note in aria-describedby, and Django then adds
        # nothing of its own: without this, screen readers never hear why the address was
        # refused. "<id>_error" is the error list's id in Django's and crispy's templates.
        if self._errors and "email" in self._errors and "email" in self.fields:
            described_by = f"email-notes {self['email'].auto_id}_error"
            self.fields["email"].widget.attrs["aria-describedby"] = described_by

    @property
    def commenter_name(self):
        """The name a logged-in reader comments under."""
        if self.user is None:
            return ""
        return self.user.get_full_name() or self.user.get_username()

    @functools.cached_property
    def helper(self):
        # Only a form that is shown needs its layout: most posted forms never are.
        helper = FormHelper()
        helper.form_tag = False
        # The template's <form> carries the CSRF token already.
        helper.disable_csrf = True
        personal = [] if self.user else ["name", "email", "url", "remember"]
        notify = [name for name in NOTIFY_FIELDS if name in self.fields]
        helper.layout = Layout(
            Field("comment"),
            *personal,
            *notify,
            Div("subject", css_class="comment-form-subject", aria_hidden="true"),
            "parent",
            "timestamp",
            Submit("submit", "Post Comment", css_id="submit"),
            # After Post Comment: pressing Enter in a field posts, as it always did.
            Submit("preview", "Preview", css_id="preview", css_class="btn-secondary"),
        )
        return helper

    def clean_timestamp(self):
        token = self.cleaned_data["timestamp"]
        if "\ufffd" in token:
            # Not a forgery to file quietly as spam but a malformed request, refused like
            # any other field that is not UTF-8; the error is the form's own, as a hidden
            # field's errors are not shown, and the form comes back with a good timestamp.
            self._renew_timestamp()
            self.add_error(
                None,
                ValidationError(
                    "Some characters could not be read in the form's hidden fields (they "
                    "were not sent as UTF-8); post your comment again.",
                    code="unreadable_characters",
                ),
            )
            return token
        try:
            shown = signing.loads(token, salt=TIMESTAMP_SALT)
            issued = float(shown["issued"])
            # Forms shown before `opened` was signed were opened when issued.
            opened = float(shown.get("opened", issued))
            valid = shown["article"] == self.article.pk
        except (signing.BadSignature, AttributeError, KeyError, TypeError, ValueError):
            valid = False
        if not valid:
            # Only a bot sends a form we never signed: moderation marks it as spam, and
            # the sender is not told.
            self.evidence = SubmissionEvidence(timestamp_valid=False)
            return token
        now = time.time()
        # Should the form be shown again (an error, or stale), it is shown as now but keeps
        # when the reader opened it: posting again at once is not "too fast".
        self._renew_timestamp(opened_at=opened)
        if now - issued > settings.COMMENTS_FORM_MAX_AGE_SECONDS:
            # A reader who left the page open for long: the form again, with their text, to
            # send again. The error is the form's own (clean()), as a hidden field's
            # errors are not shown.
            self.form_is_stale = True
            return token
        self.evidence = SubmissionEvidence(seconds_to_submit=max(now - opened, 0.0))
        return token

    def _renew_timestamp(self, opened_at=None):
        self.data = self.data.copy()
        self.data[self.add_prefix("timestamp")] = issue_timestamp(self.article, opened_at=opened_at)

    def clean(self):
        cleaned = super().clean()
        if self.form_is_stale:
            raise ValidationError(
                "This form was open for too long. Check your comment and post it again.",
                code="stale",
            )
        parent_id = (cleaned.get("parent") or "").strip()
        if parent_id:
            # Digits only, and short enough for the database's integers.
            if parent_id.isascii() and parent_id.isdigit() and len(parent_id) < 19:
                # Only the public fields: the form reaches templates, which must never
                # hold the parent's email address, even on a page sent back with errors.
                found = (
                    Comment.objects.approved()
                    .filter(article=self.article, pk=parent_id)
                    .values_list("pk", "author_name")
                    .first()
                )
                self.parent_comment = ReplyTarget(*found) if found else None
            if self.parent_comment is None:
                raise ValidationError(
                    "The comment you are replying to is not a published comment on this "
                    "article, so your reply was not posted.",
                    code="invalid_parent",
                )
        if self.evidence is not None:
            self.evidence = self.evidence.with_honeypot(bool(cleaned.get("subject")))
        return cleaned

    def author_details(self):
        """Name, email and website as the reader gave them (for the remember-me cookie)."""
        return {key: self.cleaned_data.get(key, "") for key in ("name", "email", "url")}

    def subscription_wishes(self):
        """Which notification boxes were ticked, as comments.subscriptions.subscribe() takes
        them."""
        return {
            "discussion": bool(self.cleaned_data.get("notify_followups")),
            "approval": bool(self.cleaned_data.get("notify_approval")),
        }

    def build_comment(self, *, ip_address, user_agent):
        """The comment this valid form describes, not yet saved."""
        if self.user is not None:
            name, email, url = self.commenter_name, self.user.email, ""
        else:
            name, email, url = (self.cleaned_data[key] for key in ("name", "email", "url"))
        return Comment(
            article=self.article,
            parent_id=self.parent_comment.pk if self.parent_comment else None,
            user=self.user,
            by_staff=self.user is not None and self.user.is_staff,
            author_name=name,
            author_email=email,
            author_url=url,
            body=self.cleaned_data["comment"],
            ip_address=ip_address,
            user_agent=(user_agent or "")[:500],
        )


class CommentEditForm(forms.Form):
    """Its author's new text for a comment, checked as the text of a new comment is."""

    comment = CommentForm.base_fields["comment"]


# What a reader typed, to show again in a new form (not the honeypot).
SHOWN_AGAIN = ("comment", "name", "email", "url", "parent", "timestamp")


def typed_values(data):
    """A form's sent data that could not be judged (its cookie was missing), as the
    initial values of a new form: everything typed kept, to post again."""
    initial = {name: data[name] for name in SHOWN_AGAIN if name in data}
    initial["remember"] = "remember" in data
    for name in NOTIFY_FIELDS:
        initial[name] = name in data
    return initial

"""Sanctions: moderators ban, always hold or trust a commenter, by email address, email
domain, IP address or network, with a reason, who, when and an optional expiry.

The moderation policy (moderation.py) asks `SanctionQuerySet.matching()` once per comment.
Addresses, domains and single IP addresses are matched by the database (an index on
(target_type, value)); networks are few, hand-entered rows, read in the same query and
checked in Python with `ipaddress`: SQLite has no network type, and the same code then
runs on both databases.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from .models import Comment


class SanctionQuerySet(models.QuerySet):
    def in_force(self, now=None):
        """Sanctions that apply now: without an expiry, or expiring later."""
        now = now or timezone.now()
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))

    def matching(self, *, email="", ip_address=None, now=None):
        """The sanctions in force that name this email, its domain (or a parent domain) or
        this IP address, or a network holding it: one query, whatever the sanctions."""
        Target = Sanction.Target
        wanted = Q(target_type=Target.NETWORK)
        email = normalise_email(email) if email else ""
        if email:
            wanted |= Q(target_type=Target.EMAIL, value=email)
            wanted |= Q(target_type=Target.DOMAIN, value__in=parent_domains(email))
        ip = _ip_or_none(ip_address)
        if ip is not None:
            wanted |= Q(target_type=Target.IP, value=str(ip))
        candidates = self.in_force(now).filter(wanted).select_related("created_by")
        return [
            sanction
            for sanction in candidates
            if sanction.target_type != Target.NETWORK
            or (ip is not None and ip in ipaddress.ip_network(sanction.value))
        ]

    def export_personal_data(self, emails):
        """The sanctions naming these email addresses, for a commenter's data export.
        (An erasure keeps them: they exist to stop abuse, and say only what was done.)"""
        wanted = {normalise_email(email) for email in emails if email}
        return [
            {
                "sanction": sanction.get_kind_display(),
                "email": sanction.value,
                "reason": sanction.reason,
                "since": sanction.created_at.isoformat(),
                "until": sanction.expires_at.isoformat() if sanction.expires_at else None,
            }
            for sanction in self.filter(target_type=Sanction.Target.EMAIL, value__in=wanted)
        ]

    def expire(self, *, now=None):
        """End these sanctions now (kept, for the record, with their expiry)."""
        now = now or timezone.now()
        return self.in_force(now).update(expires_at=now)


class Sanction(models.Model):
    class Kind(models.TextChoices):
        BAN = "ban", "Ban (always spam)"
        HOLD = "hold", "Always hold for moderation"
        TRUST = "trust", "Trust (approve unless a spam sign)"

    class Target(models.TextChoices):
        EMAIL = "email", "Email address"
        DOMAIN = "domain", "Email domain"
        IP = "ip", "IP address"
        NETWORK = "network", "IP network (CIDR)"

    # The strictest first: when several sanctions match a comment, this order decides.
    PRECEDENCE = (Kind.BAN, Kind.HOLD, Kind.TRUST)

    kind = models.CharField(max_length=5, choices=Kind.choices)
    target_type = models.CharField("target", max_length=7, choices=Target.choices)
    value = models.CharField(
        max_length=254,
        help_text="An email address, a domain (example.com, its subdomains too), an IP "
        "address, or a network such as 203.0.113.0/24. Stored normalised.",
    )
    reason = models.CharField(max_length=255, help_text="Why; shown in each comment's “why”.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Leave empty for a sanction without end."
    )

    objects = SanctionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "value"], name="sanction_target")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    def save(self, *args, **kwargs):
        # Whatever made it (a form, a view, a shell), the stored value is normalised.
        self.value = normalise_target(self.target_type, self.value)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if not self.target_type or not self.value:
            return
        try:
            self.value = normalise_target(self.target_type, self.value)
        except ValueError as error:
            raise ValidationError({"value": str(error)}) from error

    @property
    def in_force(self):
        return self.expires_at is None or self.expires_at > timezone.now()

    @classmethod
    def ban_commenters(cls, comments, *, by, reason):
        """Ban the email address of each of these comments and move every pending comment
        written from those addresses to spam, audited; returns (bans made, comments moved).

        A fixed number of queries whatever the number: the addresses in one, the bans in
        one bulk insert, the move in change_status()'s own few. An address already banned
        keeps its ban.
        """
        emails = {
            normalise_email(email)
            for email in comments.exclude(author_email="")
            .order_by()
            .values_list("author_email", flat=True)
            .distinct()
        }
        if not emails:
            return 0, 0
        now = timezone.now()
        with transaction.atomic():
            already = set(
                cls.objects.in_force(now)
                .filter(kind=cls.Kind.BAN, target_type=cls.Target.EMAIL, value__in=emails)
                .values_list("value", flat=True)
            )
            new = [
                cls(
                    kind=cls.Kind.BAN,
                    target_type=cls.Target.EMAIL,
                    value=email,
                    reason=reason,
                    created_by=by,
                    created_at=now,
                )
                for email in sorted(emails - already)
            ]
            cls.objects.bulk_create(new)
            moved = (
                Comment.objects.by_emails(emails)
                .pending()
                .change_status(Comment.Status.SPAM, by=by, note=f"Address banned: {reason}")
            )
        return len(new), moved


def normalise_email(email):
    return email.strip().lower()


def parent_domains(email):
    """mail.spam.example for a@mail.spam.example, and spam.example: a banned domain takes
    its subdomains with it (a bare top-level domain is not a domain anyone bans)."""
    domain = email.rpartition("@")[2]
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)] or [domain]


def _ip_or_none(value):
    try:
        return ipaddress.ip_address(str(value).strip()) if value else None
    except ValueError:
        return None


def normalise_target(target_type, value):
    """The stored form of a sanction's target, or ValueError saying what is wrong."""
    value = (value or "").strip()
    Target = Sanction.Target
    if target_type == Target.EMAIL:
        try:
            validate_email(value)
        except ValidationError as error:
            raise ValueError("Enter a whole email address, such as name@example.com.") from error
        return normalise_email(value)
    if target_type == Target.DOMAIN:
        domain = value.lower().removeprefix("@").rstrip(".")
        try:
            validate_email(f"someone@{domain}")
        except ValidationError as error:
            raise ValueError("Enter a domain, such as example.com.") from error
        return domain
    if target_type == Target.IP:
        try:
            return str(ipaddress.ip_address(value))
        except ValueError as error:
            raise ValueError("Enter an IPv4 or IPv6 address, such as 203.0.113.7.") from error
    if target_type == Target.NETWORK:
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError as error:
            raise ValueError("Enter a network in CIDR form, such as 203.0.113.0/24.") from error
        if network.prefixlen == 0:
            raise ValueError("A network of every address would hold every commenter.")
        return str(network)
    raise ValueError("Unknown target type.")

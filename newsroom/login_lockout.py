"""Admin login lock-out (django-axes): what a locked-out visitor sees, and the log line.

Axes counts failed logins per username and per client IP address (the same address flood
control uses: newsroom.client_ip.client_ip), in the database so a lock holds across
workers and whether or not the cache is up. The settings are in newsroom/settings.py.
"""

import logging

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.shortcuts import render
from django.utils.translation import ngettext

logger = logging.getLogger("newsroom.security")


def lockout_minutes(request=None):
    return round(get_cool_off(request).total_seconds() / 60)


def locked_out_response(request, original_response=None, credentials=None):
    """The admin's login page, saying the login is locked and for how long.

    Axes calls this in place of the login's own answer when the attempt hits or meets a
    lock. Every try during the lock starts its time again, so "for N minutes" holds.
    """
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    minutes = lockout_minutes(request)
    context = {
        **admin.site.each_context(request),
        "title": "Log in",
        "app_path": request.get_full_path(),
        "form": AdminAuthenticationForm(request, initial={"username": username}),
        "next": request.POST.get("next", ""),
        "lockout_minutes": minutes,
        "lockout_duration": ngettext("%d minute", "%d minutes", minutes) % minutes,
    }
    return render(
        request, "admin/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )


def log_lockout(sender, request, username, ip_address, **kwargs):
    logger.warning(
        "Admin login locked for %d minutes after %d failed attempts: username=%r ip=%s",
        lockout_minutes(request),
        settings.AXES_FAILURE_LIMIT,
        username,
        ip_address,
    )

from django import template
from django.template.defaulttags import CsrfTokenNode

from newsroom.csrf import needs_token

register = template.Library()


@register.simple_tag(takes_context=True)
def csrf_token_for_sessions(context):
    """Django's {% csrf_token %} for a visitor with a session; nothing for anonymous readers,
    whose forms on views marked origin_checked_when_anonymous are checked by their headers
    (newsroom/csrf.py), so the page stays the same for everyone."""
    request = context.get("request")
    if request is None or not needs_token(request):
        return ""
    return CsrfTokenNode().render(context)

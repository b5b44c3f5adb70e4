from django.conf import settings


def site(request):
    """The site's name, for every template."""
    return {"SITE_NAME": settings.SITE_NAME}

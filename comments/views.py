from .models import Comment


def comment_section(request, article, form=None):
    """Context for the comments area of an article page (templates/comments/section.html)."""
    return {"comments": Comment.objects.approved().filter(article=article)}

"""WordPress's own ids of what an import created, for the old links that carry them.

Posts keep theirs on the article (`Article.wordpress_id`, for `/?p=<id>`); categories,
authors and pages are looked up here, so that `/?cat=<term id>`, `/?author=<user id>` and
`/?page_id=<id>` still lead to the section, the author page and the page after the move;
attachment pages lead to their image.
"""

from django.db import models

from articles.models import Author, Category, Image, Page


class ImportedCategory(models.Model):
    wordpress_id = models.PositiveBigIntegerField("WordPress term id", unique=True)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "imported category"

    def __str__(self):
        return f"term {self.wordpress_id} → {self.category}"


class ImportedAuthor(models.Model):
    wordpress_id = models.PositiveBigIntegerField("WordPress user id", unique=True)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "imported author"

    def __str__(self):
        return f"user {self.wordpress_id} → {self.author}"


class ImportedAttachment(models.Model):
    """An attachment page's old address (`/<permalink>/<attachment-slug>/`): it now leads
    to the image the import brought across."""

    wordpress_path = models.CharField(max_length=500, unique=True)
    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "imported attachment"

    def __str__(self):
        return f"{self.wordpress_path} → {self.image}"


class ImportedPage(models.Model):
    """A WordPress page: its post id (`/?page_id=<id>`, which a re-import also finds) and
    its old address, where the page answered if it differs from the one it has now."""

    wordpress_id = models.PositiveBigIntegerField("WordPress page id", unique=True)
    wordpress_path = models.CharField(max_length=500, blank=True, db_index=True)
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "imported page"

    def __str__(self):
        return f"page {self.wordpress_id} → {self.page}"

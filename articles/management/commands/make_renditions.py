from django.core.management.base import BaseCommand

from articles.models import Image


class Command(BaseCommand):
    help = (
        "Make the renditions the settings ask for (IMAGES_RENDITION_WIDTHS) that an image "
        "in the library lacks, from its stored original; renditions it has are kept. "
        "Run after changing the widths, or after copying the media to a new storage."
    )

    def handle(self, *args, **options):
        updated = made = 0
        for image in Image.objects.order_by("pk").iterator(chunk_size=200):
            written = image.make_missing_renditions()
            if written:
                updated += 1
                made += written
        self.stdout.write(f"Renditions: {made} files made for {updated} images.")

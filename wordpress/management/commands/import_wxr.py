import os
import sys

from django.core.management.base import BaseCommand, CommandError

from wordpress.importer import WxrImporter
from wordpress.redirect_map import write_redirect_map
from wordpress.wxr import WxrError


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR 1.0-1.2): authors, categories, tags, posts and "
        "their comments, pages, and the images of attachments whose files it is given. "
        "Running it again with the same file creates nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xml file from WordPress's Tools → Export.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be imported, and write nothing.",
        )
        parser.add_argument(
            "--media-dir",
            help="A copy of the old site's wp-content/uploads (or the directory holding "
            "it): attachments' files found there become images in the media library. "
            "Files beside the export are found without it.",
        )

        parser.add_argument(
            "--redirect-map",
            metavar="CSV",
            help="After the import, write every old URL of the export (posts, pages, "
            "categories, tags, authors, attachments, their feeds and ids, date archives) "
            "with the URL that now answers it and its status, as CSV "
            "(old_url,new_url,status): for checking the move with a crawler.",
        )

    def handle(self, *args, file, dry_run, media_dir=None, redirect_map=None, **options):
        if not os.path.isfile(file):
            raise CommandError(f"No such file: {file}")
        if redirect_map and dry_run:
            raise CommandError(
                "--redirect-map asks the site what answers each old URL: it needs the "
                "import done, not a --dry-run."
            )
        if media_dir and not os.path.isdir(media_dir):
            raise CommandError(f"No such directory: {media_dir}")
        media_dirs = [d for d in (media_dir, os.path.dirname(os.path.abspath(file))) if d]
        with open(file, "rb") as source:
            bar = self._progress_bar(source, os.path.getsize(file))
            importer = WxrImporter(
                progress=bar and (lambda: bar.update(source.tell() - bar.n)),
                media_dirs=media_dirs,
            )
            try:
                summary = importer.run(source, dry_run=dry_run)
            except WxrError as error:
                raise CommandError(f"{error} Nothing was imported.") from error
            finally:
                if bar:
                    bar.close()
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written. It would do:"))
        for line in summary.lines():
            self.stdout.write(line)
        if redirect_map:
            with open(redirect_map, "w", encoding="utf-8", newline="") as out:
                rows, answered = write_redirect_map(file, out)
            self.stdout.write(
                f"Redirect map: {rows} old URLs written to {redirect_map}, "
                f"{answered} answer 200 (after redirects), {rows - answered} do not."
            )

    def _progress_bar(self, source, size):
        stream = getattr(self.stdout, "_out", sys.stdout)
        if not stream.isatty():
            return None
        from tqdm import tqdm

        return tqdm(total=size, unit="B", unit_scale=True, desc="Importing", file=stream)

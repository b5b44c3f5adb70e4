import os
import sys

from django.core.management.base import BaseCommand, CommandError

from wordpress.importer import WxrImporter
from wordpress.wxr import WxrError


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR 1.0-1.2): authors, categories, tags, posts and "
        "their comments. Running it again with the same file creates nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xml file from WordPress's Tools → Export.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be imported, and write nothing.",
        )

    def handle(self, *args, file, dry_run, **options):
        if not os.path.isfile(file):
            raise CommandError(f"No such file: {file}")
        with open(file, "rb") as source:
            bar = self._progress_bar(source, os.path.getsize(file))
            importer = WxrImporter(progress=bar and (lambda: bar.update(source.tell() - bar.n)))
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

    def _progress_bar(self, source, size):
        stream = getattr(self.stdout, "_out", sys.stdout)
        if not stream.isatty():
            return None
        from tqdm import tqdm

        return tqdm(total=size, unit="B", unit_scale=True, desc="Importing", file=stream)

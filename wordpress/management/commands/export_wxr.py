import sys

from django.core.management.base import BaseCommand

from wordpress.exporter import write_wxr


class Command(BaseCommand):
    help = (
        "Export articles, pages, authors, categories, tags and comments (with commenters' emails: "
        "keep the file private) as a WordPress WXR 1.2 file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="Where to write; standard output if absent.")
        parser.add_argument(
            "--site-url",
            default="http://localhost",
            help="The site's address, for the links in the file (default: http://localhost).",
        )

    def handle(self, *args, file, site_url, **options):
        if file:
            with open(file, "w", encoding="utf-8") as out:
                write_wxr(out, site_url=site_url)
            self.stderr.write(f"Wrote {file}")
        else:
            # The raw stream: OutputWrapper would add a newline to every write.
            write_wxr(getattr(self.stdout, "_out", sys.stdout), site_url=site_url)

import json

from django.core.management.base import BaseCommand

from grids.selectors import export_feature_collection


class Command(BaseCommand):
    help = "Write every grid as GeoJSON (to FILE, or to standard output); import_grids reads it."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="output file; standard output when omitted")

    def handle(self, *args, **options):
        text = json.dumps(export_feature_collection(), ensure_ascii=False, indent=1)
        if options["file"]:
            with open(options["file"], "w", encoding="utf-8") as f:
                f.write(text + "\n")
            self.stderr.write(f"wrote {options['file']}")
        else:
            self.stdout.write(text)

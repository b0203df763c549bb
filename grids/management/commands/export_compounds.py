import json

from django.core.management.base import BaseCommand

from grids.compounds import export_csv, export_feature_collection


class Command(BaseCommand):
    help = (
        "Write every compound as GeoJSON, or as CSV when FILE ends in .csv (to standard output "
        "when FILE is omitted); import_compounds reads either."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="output file; standard output when omitted")
        parser.add_argument("--csv", action="store_true", help="CSV instead of GeoJSON")

    def handle(self, *args, **options):
        path = options["file"]
        if options["csv"] or (path or "").lower().endswith(".csv"):
            text = export_csv()
        else:
            text = json.dumps(export_feature_collection(), ensure_ascii=False, indent=1) + "\n"
        if path:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            self.stderr.write(f"wrote {path}")
        else:
            self.stdout.write(text, ending="")

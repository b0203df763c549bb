import json

from django.core.management.base import BaseCommand, CommandError

from grids import actions
from grids.compound_import import CompoundImportError, features_from_csv, features_from_geojson


class Command(BaseCommand):
    help = (
        "Replace the compounds with those of a GeoJSON or CSV file (by its extension). All or "
        "nothing: any bad row and nothing changes; every problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="compounds.geojson or compounds.csv (UTF-8, WGS-84)")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            with open(path, encoding="utf-8-sig") as f:
                text = f.read()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not UTF-8 text: {exc}") from None
        try:
            if path.lower().endswith(".csv"):
                features = features_from_csv(text)
            else:
                try:
                    data = json.loads(text)
                except json.JSONDecodeError as exc:
                    raise CommandError(f"{path} is not JSON: {exc}") from None
                features = features_from_geojson(data)
            counts = actions.import_compounds(features=features, actor=None)
        except CompoundImportError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"import refused: {len(exc.problems)} problem(s); nothing was changed"
            ) from None
        self.stdout.write(
            "compounds: {created} created, {updated} updated, {unchanged} unchanged, "
            "{removed} removed".format(**counts)
        )

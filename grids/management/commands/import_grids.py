import json
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from grids import actions
from grids.geojson_import import GridImportError, features_from_geojson

# Below this many features the check is instant and a progress bar is only noise.
PROGRESS_FROM = 500


class Command(BaseCommand):
    help = (
        "Replace the grids with the features of a GeoJSON file (properties code, name, "
        "community_code). All or nothing: any bad feature and nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a GeoJSON FeatureCollection in WGS-84")

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8") as f:
                data = json.load(f)
        except OSError as exc:
            raise CommandError(f"cannot read {options['file']}: {exc.strerror}") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CommandError(f"{options['file']} is not JSON: {exc}") from None

        def progress(items):
            return tqdm(
                items,
                total=len(features),
                desc="checking",
                unit="feature",
                file=sys.stderr,
                disable=len(features) < PROGRESS_FROM,
            )

        try:
            features = features_from_geojson(data)
            counts = actions.import_grids(features=features, actor=None, progress=progress)
        except GridImportError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"import refused: {len(exc.problems)} problem(s); nothing was changed"
            ) from None
        self.stdout.write(
            "grids: {created} created, {updated} updated, {unchanged} unchanged, "
            "{removed} removed".format(**counts)
        )

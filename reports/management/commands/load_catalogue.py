from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports import catalogue


class Command(BaseCommand):
    help = (
        "Load an edition of the national catalogue (GB/T 47678.5 components and matters) from a "
        "CSV shaped like reports/data/gbt47678_5_2026.csv: new entries are created, renamed ones "
        "renamed, missing ones retired (kept for old tickets). All or nothing; running it again "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "csv", nargs="?", default=str(catalogue.CURRENT_CSV), help="the edition's CSV file"
        )
        parser.add_argument(
            "--edition",
            default=catalogue.CURRENT_EDITION,
            help='the edition\'s name, e.g. "GB/T 47678.5-2030"',
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and say what would change"
        )

    def handle(self, *args, **options):
        path = Path(options["csv"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        edition = options["edition"].strip()
        if not edition:
            raise CommandError("Give the edition's name with --edition.")
        try:
            entries = catalogue.read_catalogue_file(path)
        except catalogue.CatalogueError as exc:
            raise CommandError("\n".join(exc.problems)) from None
        result = (
            catalogue.preview_edition(entries=entries, edition_name=edition)
            if options["dry_run"]
            else catalogue.load_edition(entries=entries, edition_name=edition)
        )
        for label, keys in (
            ("created", result.created),
            ("renamed", result.renamed),
            ("retired", result.retired),
            ("reactivated", result.reactivated),
        ):
            self.stdout.write(
                f"{label}: {len(keys)}" + (f" ({', '.join(keys[:20])})" if keys else "")
            )
        self.stdout.write(
            f"{'would load' if options['dry_run'] else 'loaded'} {len(entries)} entries of "
            f"{edition}" + ("" if result.changed else " (nothing changed)")
        )

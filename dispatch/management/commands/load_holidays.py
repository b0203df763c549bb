"""manage.py load_holidays FILE.csv — load a year's official holiday schedule (dispatch.holidays)."""

from django.core.management.base import BaseCommand, CommandError

from dispatch.holidays import ScheduleError, load_schedule


class Command(BaseCommand):
    help = "Load a year's holidays and make-up working days from a CSV (date,type,name)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file: date,type(off|work),name")

    def handle(self, *args, path: str, **options):
        try:
            with open(path, encoding="utf-8-sig") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from None
        try:
            year, count = load_schedule(text)
        except ScheduleError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        self.stdout.write(f"{year}: {count} days loaded")

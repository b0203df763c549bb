from django.core.management.base import BaseCommand, CommandError

from stats.history import PROFILES, generate_history


class Command(BaseCommand):
    help = (
        "Generate synthetic ticket history (reports and tasks, bulk inserted, bypassing the "
        "actions like a fixture loader) and rebuild the stats store. Needs seed_yima first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reports", type=int, required=True, help="how many tickets")
        parser.add_argument("--seed", type=int, default=1, help="random seed (repeatable runs)")
        parser.add_argument(
            "--profile",
            choices=PROFILES,
            default="spread",
            help="spread: units of mixed speed (benchmarks); yima: Yima's published record",
        )

    def handle(self, *args, **options):
        if options["reports"] < 1:
            raise CommandError("--reports must be at least 1")
        try:
            made = generate_history(
                reports=options["reports"], seed=options["seed"], profile=options["profile"]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{made} tickets generated; stats store rebuilt")

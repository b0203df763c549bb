from django.core.management.base import BaseCommand

from grids import actions
from grids.demo_people import DEMO_PASSWORD, ensure_demo_people, seed_demo_workers
from grids.signals import seed_yima


class Command(BaseCommand):
    help = "Create Yima's divisions, 214 demo grids and demo people; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-demo",
            action="store_true",
            help="Divisions and reference data only: no demo people or history.",
        )
        parser.add_argument(
            "--history",
            type=int,
            default=3000,
            metavar="N",
            help="With demo data: synthetic tickets to generate when there are none (0: none).",
        )

    def handle(self, *args, **options):
        demo = not options["no_demo"]
        made = actions.seed_divisions()
        self.stdout.write(
            f"divisions: {made['streets']} streets, {made['communities']} communities created"
        )
        grids = actions.seed_demo_grids()
        self.stdout.write(f"grids: {grids} created (synthetic demo geometry)")
        if demo:
            compounds = actions.seed_demo_compounds()
            self.stdout.write(f"compounds: {compounds} created (synthetic, inside the grids)")
        logins = ensure_demo_people() if demo else []
        if demo:
            self.stdout.write(f"grid workers: {seed_demo_workers()} created (every grid served)")
        seed_yima.send(
            sender=self.__class__, demo=demo, history=options["history"], stdout=self.stdout
        )
        if logins:
            self.stdout.write(f"demo logins (password {DEMO_PASSWORD}):")
            for phone, name in logins:
                self.stdout.write(f"  {phone}  {name}")

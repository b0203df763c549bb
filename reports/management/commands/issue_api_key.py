from django.core.management.base import BaseCommand, CommandError

from reports import actions
from reports.errors import SubmissionError
from reports.models import ApiKey, Channel


class Command(BaseCommand):
    help = (
        "Issue an API key to a named client, bound to a channel (the key is printed once), "
        "or revoke one with --revoke PREFIX."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="client name, e.g. 12345热线系统")
        parser.add_argument("--channel", choices=Channel.values, default=Channel.THIRD_PARTY)
        parser.add_argument("--rate", default="120/m", help="requests per period, e.g. 120/m")
        parser.add_argument("--revoke", metavar="PREFIX", help="revoke the key with this prefix")

    def handle(self, *args, **options):
        if options["revoke"]:
            key = ApiKey.objects.filter(prefix=options["revoke"]).first()
            if key is None:
                raise CommandError(f"No API key with prefix {options['revoke']!r}.")
            key = actions.revoke_api_key(api_key=key, actor=None)
            self.stdout.write(
                f"revoked {key.prefix} ({key.name}) at {key.revoked_at:%Y-%m-%d %H:%M}"
            )
            return
        if not options["name"]:
            raise CommandError("Give the client's name, or --revoke PREFIX.")
        try:
            key, raw = actions.issue_api_key(
                name=options["name"], channel=options["channel"], rate=options["rate"], actor=None
            )
        except SubmissionError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(f"issued {key.prefix} to {key.name} ({key.channel}, {key.rate})")
        self.stdout.write("api_key (shown once, store it now):")
        self.stdout.write(raw)

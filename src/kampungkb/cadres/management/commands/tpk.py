"""`kampungkb tpk close-lapsed [--area VILLAGE]`: write down the end of the TPK assignments whose
target has left (a pregnancy ended, the 42 post-partum days over, a child turned five or died, a
family no longer active). Run it daily; the pages already leave such targets out."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kampungkb.cadres.tpk_services import tpk_close_lapsed
from kampungkb.regions.models import Area


class Command(BaseCommand):
    help = "TPK at work. `tpk close-lapsed` ends the assignments whose target has left."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        close = sub.add_parser("close-lapsed", help="end the assignments whose target has left")
        close.add_argument("--area", metavar="VILLAGE")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["area"]
        if code and not Area.objects.filter(code=code).exists():
            raise CommandError(f"No area with the code {code}.")
        ended = tpk_close_lapsed(village_code=code)
        self.stdout.write(f"{ended} TPK assignment(s) ended.")

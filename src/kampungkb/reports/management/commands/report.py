"""`kampungkb report monthly --area CODE --month YYYY-MM --format xlsx|csv|json|pdf --output FILE`:
the monthly recap of an area as a file, read by the system (the whole nation). A PDF is written
in Bahasa Indonesia unless ``--language en`` asks for English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kampungkb.accounts.scope import SYSTEM
from kampungkb.core.periods import parse_month
from kampungkb.regions.models import Area
from kampungkb.reports import exports
from kampungkb.reports.selectors import recap_get, recap_villages


class Command(BaseCommand):
    help = "Reports. `report monthly` writes the monthly recap of an area to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", required=True)
        monthly = sub.add_parser("monthly", help="the monthly recap of an area")
        monthly.add_argument("--area", required=True, metavar="CODE")
        monthly.add_argument("--month", required=True, type=parse_month, metavar="YYYY-MM")
        monthly.add_argument("--format", required=True, choices=exports.FORMATS)
        monthly.add_argument("--output", required=True, type=Path, metavar="FILE")
        monthly.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="the language of a PDF (the other formats are always in Bahasa Indonesia)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        area = Area.objects.select_related("parent").filter(code=options["area"]).first()
        if area is None:
            raise CommandError(f"No area with the code {options['area']}.")
        reader = SYSTEM
        recap = recap_get(user=reader, area=area, period=options["month"])
        villages = None
        if options["format"] == "xlsx" and recap.has_villages_sheet:
            villages = recap_villages(user=reader, area=area, period=recap.period)
        content = exports.recap_file(
            recap, options["format"], villages, language=options["language"]
        )
        options["output"].write_bytes(content)
        self.stdout.write(f"Monthly recap of {area} ({area.code}) written to {options['output']}.")

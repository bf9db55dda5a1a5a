"""`kampungkb targets import FILE [--user USERNAME]`: import the yearly PPM targets of an Excel
file (the template of the targets page), every row or none (decision 0015). Without --user the
system imports (any area); with it, the user's areas apply and the audit log names the user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kampungkb.indicators.services import TargetImportRefused, targets_import


class Command(BaseCommand):
    help = "Yearly targets (PPM). `targets import FILE` imports an Excel file, all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("import", help="import the targets of an Excel file")
        run.add_argument("file", type=Path)
        run.add_argument("--user", default=None, metavar="USERNAME", help="import as this user")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["user"]:
            try:
                actor = get_user_model().objects.get(username=options["user"], is_active=True)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"No active user {options['user']}.") from exc
        path: Path = options["file"]
        try:
            with path.open("rb") as file:
                changes = targets_import(file=file, actor=actor, size=path.stat().st_size)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        except TargetImportRefused as exc:
            for row in exc.rows:
                where = f"row {row.row}, {row.heading}" if row.heading else f"row {row.row}"
                self.stderr.write(f"{where}: {row.message('id')} / {row.message('en')}")
            raise CommandError(f"{path}: refused, nothing was imported.") from exc
        self.stdout.write(
            f"Targets imported: {changes.created} added, {changes.updated} changed, "
            f"{changes.unchanged} unchanged."
        )

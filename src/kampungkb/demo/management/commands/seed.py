"""`kampungkb seed demo` and `kampungkb seed logins`: the synthetic demo population."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from kampungkb.core.errors import messages_in_both_languages
from kampungkb.demo.selectors import DEMO_PASSWORD, DemoLogin, demo_seed_info
from kampungkb.demo.services import (
    DEFAULT_FAMILIES,
    DEFAULT_SEED,
    STAGE_AREAS,
    STAGE_GENERATE,
    STAGE_HISTORY,
    STAGE_USERS,
    STAGE_WRITE,
    SeedResult,
    demo_seed,
)

_STAGE_LABELS = {
    STAGE_GENERATE: ("membuat keluarga / generating families", "family"),
    STAGE_AREAS: ("RW/RT", "area"),
    STAGE_WRITE: ("menyimpan / writing", "row"),
    STAGE_HISTORY: ("riwayat pelayanan KB / service history", "row"),
    STAGE_USERS: ("pengguna demo / demo users", "user"),
}

DEMO_HELP = f"""\
Seed a deterministic synthetic population (same --seed, --families and --on: the same rows) in
Kota Bangun (64.02.08, Kutai Kartanegara), Selong (52.03.07) and Suralaga (52.03.13, Lombok
Timur), with RW/RT under every village, and one demo login per role, all with the password
"{DEMO_PASSWORD}" (for the demo only: never seed a database that holds real data). A demo user
whose username already exists (e.g. an "admin" made with createsuperuser) is left untouched,
keeps its password and is not removed by --reset. Needs the regions: `kampungkb regions load`.
"""


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


class _Bars:
    """One tqdm bar per stage of the seed."""

    def __init__(self, command: BaseCommand, disable: bool) -> None:
        self.out = command.stderr._out
        self.disable = disable
        self.stage = ""
        self.bar: tqdm[Any] | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            label, unit = _STAGE_LABELS.get(stage, (stage, "row"))
            self.stage = stage
            self.bar = tqdm(total=total, desc=label, unit=unit, disable=self.disable, file=self.out)
        assert self.bar is not None  # noqa: S101 - set above
        self.bar.update(done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(BaseCommand):
    help = (
        "Demo data. `seed demo` seeds the synthetic population and the demo logins; "
        "`seed logins` prints the demo logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        demo = sub.add_parser("demo", help="seed the demo population", description=DEMO_HELP)
        demo.add_argument(
            "--families",
            type=int,
            default=DEFAULT_FAMILIES,
            help=f"number of families, spread over the 38 villages (default {DEFAULT_FAMILIES})",
        )
        demo.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
        )
        demo.add_argument(
            "--on",
            type=_date,
            default=None,
            metavar="YYYY-MM-DD",
            help="reference date: ages, pregnancies and PUS are as of this day (default today)",
        )
        demo.add_argument(
            "--reset",
            action="store_true",
            help="remove the demo data of an earlier seed (families, persons, couples, "
            "pregnancies, service visits, episodes, follow-ups, reminders, demo facilities, "
            "their audit events, the demo users) and seed again",
        )
        demo.add_argument(
            "--if-absent",
            action="store_true",
            help="do nothing (and succeed) when demo data is already there",
        )
        demo.add_argument("--no-progress", action="store_true", help="no progress bars")
        sub.add_parser("logins", help="print the demo logins")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "logins":
            self._logins()
            return
        if options["if_absent"] and not options["reset"] and demo_seed_info() is not None:
            self.stdout.write(
                "Data demo sudah ada; tidak dibuat ulang. / "
                "Demo data is already there; not seeded again."
            )
            return
        bars = _Bars(self, disable=options["no_progress"])
        started = time.monotonic()
        try:
            result = demo_seed(
                families=options["families"],
                seed=options["seed"],
                today=options["on"],
                reset=options["reset"],
                progress=bars,
            )
        except ValidationError as exc:
            raise CommandError(_both_languages(exc)) from exc
        finally:
            bars.close()
        self._summary(result, time.monotonic() - started)
        self._table(result.logins)

    def _summary(self, result: SeedResult, seconds: float) -> None:
        rows = (
            ("Keluarga / families", f"{result.families:,}"),
            (
                "Penduduk / persons",
                f"{result.persons:,} (tanpa NIK / without NIK: {result.persons_without_nik:,})",
            ),
            ("Pasangan / couples", f"{result.couples:,}"),
            ("PUS hari ini / eligible couples today", f"{result.pus:,}"),
            ("Hamil saat ini / ongoing pregnancies", f"{result.pregnancies:,}"),
            (
                "Desa/kelurahan / villages",
                f"{result.villages:,} (RW/RT baru / new: {result.local_areas_created:,})",
            ),
            ("Faskes KB / facilities", f"{result.facilities:,}"),
            ("Kunjungan KB / service visits (24 months)", f"{result.visits:,}"),
            ("Episode pemakaian / episodes of use", f"{result.episodes:,}"),
            (
                "Peserta KB aktif (PA) / active users",
                f"{result.active_users:,} (CPR {result.cpr:.1f}% of PUS)",
            ),
            *(
                (f"  PA {method}", f"{n:,} ({100 * n / (result.active_users or 1):.1f}%)")
                for method, n in result.users_by_method
            ),
            (
                "Unmet need (IAT + TIAL)",
                f"{result.unmet_need:,} ({result.unmet_need_percent:.1f}% of PUS)",
            ),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Data demo dibuat / demo data seeded: seed {result.seed}, "
                f"tanggal acuan / reference date {result.today:%Y-%m-%d}, {seconds:.1f} s"
            )
        )
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            self.stdout.write(f"  {label:<{width}}  {value}")

    def _logins(self) -> None:
        info = demo_seed_info()
        if info is None:
            raise CommandError(
                "Belum ada data demo: jalankan `kampungkb seed demo`.\n"
                "There is no demo data yet: run `kampungkb seed demo`."
            )
        self._table(info.logins)

    def _table(self, logins: Sequence[DemoLogin]) -> None:
        self.stdout.write(
            "\nLogin demo (kata sandi hanya untuk demo / the password is for the demo only):"
        )
        header = ("username", "password", "peran / role", "wilayah / area")
        rows = [
            (
                login.username,
                login.password or "(tidak diubah / unchanged)",
                login.role,
                login.area,
            )
            for login in logins
        ]
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
        for row in [header, *rows]:
            cells = [f"{row[i]:<{widths[i]}}" for i in range(3)]
            self.stdout.write("  " + "  ".join([*cells, row[3]]))


def _both_languages(error: ValidationError) -> str:
    return "\n".join(
        f"{m['message_id']}\n{m['message_en']}" for m in messages_in_both_languages(error)
    )

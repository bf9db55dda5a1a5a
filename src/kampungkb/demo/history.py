"""Two years of contraceptive service history for the demo population.

Pure Python, like ``population``: ``generate`` takes the population and the method catalogue's
rules and returns plain rows (facilities and service visits, pointing at couples and facilities by
key). It draws from its own stream, ``random.Random(f"{seed}:history")``, so the population is the
same with or without it, and the same arguments give the same rows.

How a couple's history is made. The couple's time (married, wife 15-49, alive) is cut by its
pregnancies (from about conception to the birth or miscarriage) into free intervals. In each
interval that reaches the 24-month window the couple may use one method, rarely two (a switch):

- an interval that ends in a conception: used by about half, stopped for the child in time
  (a removal with "wants a child", or simply no further visit);
- the last interval, up to the reference date: whether the couple uses on that day follows its
  recorded fertility intention (users mostly want to delay or want no more; non-users are the
  pregnant, those who want a child soon, and the unmet need: IAT/TIAL without a method, of whom
  some dropped out in the window and some had a method removed for side effects).

Methods are drawn towards the Susenas 2024 mix (DOMAIN.md section 9), sterilisation only for
couples who want no more children and have two or more. After a birth some start within 42 days
(KBPP), a few with lactational amenorrhoea and then a switch. Long-acting methods and
sterilisation may have started before the window (their start visit, and an IUD's yearly checks,
are then older than 24 months); a short-acting method used since before the window appears from
its first visit inside the window (a repeat visit, which carries the consent on file).
Re-injections every 12 weeks (or 4), pill packs 1-3 a month, condoms by the box of 12, all with
a realistic spread of lateness. Visits go mostly to the couple's usual facility: the puskesmas of
the kecamatan, a private midwife (PMB), the mobile service (MUYAN KB) or the district hospital.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kampungkb.contraception import engine
from kampungkb.demo.population import CoupleRow, Population
from kampungkb.families.models import PregnancyOutcome

WINDOW_DAYS = 730  # the 24 months of history before the reference date
DAY = dt.timedelta(days=1)
CONCEPTION_DAYS = 266  # conception to birth

SHORT_ACTING = ("SUNTIK3", "SUNTIK1", "PIL", "KONDOM")
CONDOM_BOX = 12

# Method mix of current users (Susenas 2024, DOMAIN.md section 9) before the adjustment for the
# couple's intention: sterilisation only for "no more" with 2+ children, so it is weighted up there.
USER_MIX: tuple[tuple[str, float], ...] = (
    ("SUNTIK3", 45.0),
    ("SUNTIK1", 7.9),
    ("PIL", 18.1),
    ("IMPLAN3", 10.2),
    ("IMPLAN5", 1.5),
    ("IUD", 9.7),
    ("MOW", 3.7),
    ("KONDOM", 1.5),
    ("MOP", 0.3),
    ("TRAD", 1.6),
)
# Before a wanted pregnancy: short-acting methods mostly.
SPACING_MIX: tuple[tuple[str, float], ...] = (
    ("SUNTIK3", 50.0),
    ("SUNTIK1", 8.0),
    ("PIL", 25.0),
    ("IMPLAN3", 6.0),
    ("IUD", 5.0),
    ("KONDOM", 3.0),
    ("TRAD", 3.0),
)
STERILISATION = ("MOW", "MOP")
LONG_ACTING = ("IUD", "IMPLAN3", "IMPLAN5")
# How long before the reference date a method still in use may have started (days).
HORIZON = {"IMPLAN3": 1040, "IMPLAN5": 1760, "IUD": 2400, "MOW": 5000, "MOP": 5000, "TRAD": 3000}
SHORT_HORIZON = 2000

# Chance that a PUS uses on the reference date, by recorded intention ("" = not recorded).
USE_BY_INTENTION = {"delay": 0.86, "no_more": 0.89, "soon": 0.06, "": 0.35}


@dataclass(frozen=True, slots=True)
class FacilityRow:
    key: int
    code: str
    name: str
    kind: str
    ownership: str
    has_jkn_contract: bool
    area_code: str
    providers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class VisitRow:
    couple_key: int
    on: dt.date
    method: str
    kind: str
    quantity: int
    facility_key: int | None
    provider: str
    consent_recorded: bool
    stop_reason: str = ""


@dataclass(frozen=True)
class History:
    start: dt.date  # first day of the 24-month window
    facilities: tuple[FacilityRow, ...]
    visits: tuple[VisitRow, ...]  # by couple key, then date


# --- facilities ----------------------------------------------------------------------------------

# kecamatan: (puskesmas, its staff, private midwives)
_KECAMATAN_FACILITIES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "64.02.08": (
        "Puskesmas Kota Bangun",
        ("Bidan Rusdiana, A.Md.Keb", "Bidan Siti Mariam, S.Tr.Keb", "dr. Andi Firmansyah"),
        ("Bidan Hj. Nurhayati", "Bidan Rahmawati Said", "Bidan Yuliana Kartika"),
    ),
    "52.03.07": (
        "Puskesmas Selong",
        ("Bidan Baiq Sulastri, A.Md.Keb", "Bidan Nurul Aini, S.Tr.Keb", "dr. Lalu Ahmad Zaini"),
        ("Bidan Baiq Rohaini", "Bidan Hj. Sri Mulyani", "Bidan Lale Nurhasanah"),
    ),
    "52.03.13": (
        "Puskesmas Suralaga",
        ("Bidan Hj. Zuhriah, A.Md.Keb", "Bidan Baiq Wardiah", "dr. Muhammad Rizal"),
        ("Bidan Baiq Fatimah Azzahra", "Bidan Halimatussa'diah"),
    ),
}
# kabupaten: (district hospital, its staff, mobile service)
_KABUPATEN_FACILITIES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "64.02": (
        "RSUD Aji Muhammad Parikesit",
        ("dr. Hendra Wijaya, Sp.OG", "dr. Ratna Sari Dewi, Sp.OG"),
        "Pelayanan KB Keliling (MUYAN) DPPKB Kutai Kartanegara",
    ),
    "52.03": (
        "RSUD dr. R. Soedjono Selong",
        ("dr. Lalu Gede Wirakusuma, Sp.OG", "dr. Baiq Nilawati, Sp.OG"),
        "Pelayanan KB Keliling (MUYAN) DP3AKB Lombok Timur",
    ),
}
_MOBILE_STAFF = ("Bidan Tim MUYAN", "dr. Tim Pelayanan KB")


def _facilities(village_codes: Sequence[str]) -> list[FacilityRow]:
    """A puskesmas per kecamatan and its private midwives (in villages spread over the
    kecamatan), a district hospital and a mobile service per kabupaten."""
    rows: list[FacilityRow] = []

    def add(
        code: str, name: str, kind: str, ownership: str, area: str, staff: tuple[str, ...]
    ) -> None:
        rows.append(
            FacilityRow(len(rows), code, name, kind, ownership, kind != "mobile", area, staff)
        )

    kecamatan = sorted({v[:8] for v in village_codes} & set(_KECAMATAN_FACILITIES))
    for kec in kecamatan:
        puskesmas, staff, midwives = _KECAMATAN_FACILITIES[kec]
        digits = kec.replace(".", "")
        add(f"P{digits}01", puskesmas, "puskesmas", "government", kec, staff)
        villages = sorted(v for v in village_codes if v.startswith(kec + "."))
        for i, midwife in enumerate(midwives):
            village = villages[(2 * i + 1) * len(villages) // (2 * len(midwives))]
            add(
                f"PMB{digits}{i + 1:02d}",
                f"PMB {midwife}",
                "private_midwife",
                "private",
                village,
                (midwife,),
            )
    for kab in sorted({k[:5] for k in kecamatan}):
        hospital, staff, mobile = _KABUPATEN_FACILITIES[kab]
        digits = kab.replace(".", "")
        add(f"RS{digits}01", hospital, "hospital", "government", kab, staff)
        add(f"MUYAN{digits}", mobile, "mobile", "government", kab, _MOBILE_STAFF)
    return rows


# --- the couples' histories ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Interval:
    """Time without a pregnancy: from ``start`` to ``end`` (inclusive). ``birth``: the birth or
    miscarriage it follows; ``final``: runs to the last day (no conception ends it)."""

    start: dt.date
    end: dt.date
    birth: dt.date | None
    final: bool


def _fiftieth(birth: dt.date) -> dt.date:
    try:
        return birth.replace(year=birth.year + 50)
    except ValueError:
        return dt.date(birth.year + 50, 3, 1)


def _fifteenth(birth: dt.date) -> dt.date:
    try:
        return birth.replace(year=birth.year + 15)
    except ValueError:
        return dt.date(birth.year + 15, 3, 1)


class _Historian:
    def __init__(
        self,
        population: Population,
        rules: Mapping[str, engine.MethodRule],
        consent: frozenset[str],
        facilities: list[FacilityRow],
    ) -> None:
        self.pop = population
        self.rules = rules
        self.consent = consent
        self.today = population.today
        self.window = population.today - WINDOW_DAYS * DAY
        self.rng = random.Random(f"{population.seed}:history")
        self.facilities = facilities
        self.pregnancies: dict[int, list[tuple[dt.date, dt.date | None, str]]] = {}
        for p in population.pregnancies:
            self.pregnancies.setdefault(p.couple_key, []).append(
                (p.expected_on, p.ended_on, p.outcome)
            )
        self.visits: list[VisitRow] = []

    # facilities

    def _usual(self, kecamatan: str) -> tuple[list[FacilityRow], dict[str, FacilityRow]]:
        local = [f for f in self.facilities if f.area_code.startswith(kecamatan)]
        kab = {f.kind: f for f in self.facilities if f.area_code == kecamatan[:5]}
        return local, kab

    # one couple

    def couple(self, c: CoupleRow) -> None:
        wife = self.pop.persons[c.wife_key]
        first = max(c.married_on, _fifteenth(wife.birth_date))
        last = min(
            self.today,
            (c.ended_on - DAY) if c.ended_on else self.today,
            (wife.died_on - DAY) if wife.died_on else self.today,
            _fiftieth(wife.birth_date) - DAY,
        )
        if last < max(first, self.window):
            return
        rng = self.rng
        kecamatan = self.pop.families[wife.family_key].area_code[:8]
        local, kab = self._usual(kecamatan)
        if not local:
            return
        self._local, self._kab = local, kab
        self._home = rng.choice(local)
        self._key = c.key
        self._couple_visits: list[VisitRow] = []
        intervals = self._intervals(c, first, last)
        children = sum(1 for b in c.births if b <= self.today)
        pus_today = self.pop.is_pus(c)
        for interval in intervals:
            if interval.end < self.window and interval.final is False:
                continue
            if interval.final and pus_today and last == self.today:
                self._final(interval, c.fertility_intention, children)
            elif interval.final:
                if rng.random() < 0.55:
                    method = self._pick(USER_MIX, c.fertility_intention, children)
                    self._use(interval, method, until=interval.end, end="ongoing")
            elif rng.random() < 0.55 and (interval.end - interval.start).days > 90:
                method = self._pick(SPACING_MIX, "delay", children)
                self._use(interval, method, until=interval.end, end="child")
        self._couple_visits.sort(key=lambda v: v.on)
        self.visits.extend(self._couple_visits)

    def _intervals(self, c: CoupleRow, first: dt.date, last: dt.date) -> list[_Interval]:
        blocks: list[tuple[dt.date, dt.date | None]] = [
            (b - CONCEPTION_DAYS * DAY, b) for b in c.births
        ]
        for expected, ended, outcome in self.pregnancies.get(c.key, []):
            if ended is None:
                blocks.append((expected - CONCEPTION_DAYS * DAY, None))
            elif outcome == PregnancyOutcome.MISCARRIAGE:
                blocks.append((ended - 90 * DAY, ended))
        blocks.sort(key=lambda b: b[0])
        out: list[_Interval] = []
        start: dt.date | None = first
        birth: dt.date | None = None
        for conception, ended in blocks:
            if start is None:
                break
            if conception - DAY >= start and start <= last:
                out.append(_Interval(start, min(conception - DAY, last), birth, False))
            if ended is None:
                start = None
            else:
                start, birth = max(start, ended + DAY), ended
        if start is not None and start <= last:
            out.append(_Interval(start, last, birth, True))
        return out

    def _pick(self, mix: Sequence[tuple[str, float]], intention: str, children: int) -> str:
        weights = []
        for code, weight in mix:
            if code in STERILISATION:
                weight = weight * 2.6 if intention == "no_more" and children >= 2 else 0.0
            elif code in LONG_ACTING and intention == "no_more":
                weight *= 1.2
            weights.append(weight)
        codes = [code for code, _ in mix]
        return self.rng.choices(codes, weights=weights)[0]

    def _final(self, interval: _Interval, intention: str, children: int) -> None:
        """The interval that runs to the reference date of a couple that is PUS on it."""
        rng = self.rng
        if rng.random() < USE_BY_INTENTION.get(intention, 0.6):
            method = self._pick(USER_MIX, intention, children)
            self._use(interval, method, until=interval.end, end="ongoing")
            return
        r = rng.random()
        if intention == "soon":
            if r < 0.35:
                method = self._pick(SPACING_MIX, "delay", children)
                self._use(interval, method, until=interval.end, end="child")
            return
        if r < 0.4:
            method = rng.choices(SHORT_ACTING[:3], weights=(60, 10, 30))[0]
            self._use(interval, method, until=interval.end, end="drop_out")
        elif r < 0.55:
            method = rng.choices(("SUNTIK3", "IMPLAN3", "IUD", "PIL"), weights=(45, 25, 15, 15))[0]
            self._use(interval, method, until=interval.end, end="side_effects")

    # one stretch of use

    def _start_date(self, interval: _Interval, method: str) -> tuple[dt.date, str | None]:
        """When use began, and a method used first (MAL after a birth) or None."""
        rng = self.rng
        if interval.birth is not None and interval.birth >= self.window - 400 * DAY:
            r = rng.random()
            if r < 0.08 and method not in STERILISATION:
                return interval.birth + rng.randint(1, 7) * DAY, "MAL"
            if r < 0.4:
                return interval.birth + rng.randint(1, 42) * DAY, None
            return interval.birth + rng.randint(43, 300) * DAY, None
        horizon = HORIZON.get(method, SHORT_HORIZON)
        lo = max(interval.start, self.today - horizon * DAY)
        hi = max(lo, interval.end)
        return lo + rng.randint(0, (hi - lo).days) * DAY, None

    def _use(self, interval: _Interval, method: str, *, until: dt.date, end: str) -> None:
        """One stretch of use in ``interval``: ``end`` is ``ongoing`` (to ``until``), ``child``
        (stopped in time for the conception that ends the interval), ``drop_out`` (stops coming,
        a drop-out by the reference date) or ``side_effects`` (removed or stopped)."""
        rng = self.rng
        start, first_method = self._start_date(interval, method)
        if end == "child":
            until = interval.end - rng.randint(0, 120) * DAY
        elif end == "drop_out":
            grace = self.rules[method].grace_days
            until = interval.end - (grace + 95 + self._cycle(method)) * DAY
        elif end == "side_effects":
            until = interval.end - rng.randint(20, 400) * DAY
        if end != "ongoing" and method in STERILISATION:
            method = "SUNTIK3"
        if start > until or start > interval.end or until < self.window:
            return
        if end in ("drop_out", "side_effects", "child"):
            # Short stretches: began some months to a few years before they ended.
            start = max(start, until - rng.randint(90, 900) * DAY)
            if method in SHORT_ACTING and start < self.window:
                start = max(start, self.window - rng.randint(0, 200) * DAY)
        if first_method == "MAL":
            switch_on = start + rng.randint(140, 176) * DAY
            if switch_on > until:
                return
            self._emit(start, "MAL", engine.VisitKind.START)
            start = switch_on
            kind = engine.VisitKind.SWITCH
        elif end == "ongoing" and rng.random() < 0.09 and method != "TRAD":
            # A switch inside the window: another method first.
            before = {"PIL": "SUNTIK3", "SUNTIK3": "PIL", "SUNTIK1": "SUNTIK3"}.get(
                method, "SUNTIK3"
            )
            lo = max(start, self.window)
            if (until - lo).days > 150:
                switch_on = lo + rng.randint(60, (until - lo).days - 30) * DAY
                last_due = self._course(before, max(start, self.window - 90 * DAY), switch_on)
                if last_due is not None:
                    start = min(switch_on, last_due + rng.randint(-7, 5) * DAY)
                    start = max(start, self._last_on() + DAY)
                    kind = engine.VisitKind.SWITCH
                else:
                    kind = engine.VisitKind.START
            else:
                kind = engine.VisitKind.START
        else:
            kind = engine.VisitKind.START
        last_due = self._course(method, start, until, first_kind=kind)
        if last_due is None:
            return
        if end == "child" and (method in LONG_ACTING or rng.random() < 0.3):
            on = min(until, last_due) if method in LONG_ACTING else last_due
            self._stop(on, method, engine.EndReason.WANTS_CHILD, interval.end)
        elif end == "side_effects":
            on = until if method in LONG_ACTING else min(until, last_due)
            self._stop(on, method, engine.EndReason.SIDE_EFFECTS, interval.end)

    def _last_on(self) -> dt.date:
        return max((v.on for v in self._couple_visits), default=dt.date.min)

    def _stop(self, on: dt.date, method: str, reason: engine.EndReason, bound: dt.date) -> None:
        if on <= self._last_on() or on > bound or on < self.window:
            return
        self._emit(on, method, engine.VisitKind.REMOVAL, reason=reason)

    def _cycle(self, method: str) -> int:
        """The longest a giving visit of a short-acting method covers."""
        rule = self.rules[method]
        if method == "PIL":
            return rule.days_per_unit * 3
        if method == "KONDOM":
            return rule.days_per_unit * CONDOM_BOX * 3
        return rule.days_per_unit

    def _late(self, method: str) -> int:
        """Days after the due date (negative: early) of the next visit."""
        rng = self.rng
        r = rng.random()
        grace = self.rules[method].grace_days
        if r < 0.25:
            return -rng.randint(1, 10)
        if r < 0.75:
            return rng.randint(0, max(3, grace // 2))
        if r < 0.92:
            return rng.randint(grace // 2, grace)
        if r < 0.985:
            return rng.randint(grace + 1, grace + 25)
        return rng.randint(grace + 26, grace + 60)

    def _quantity(self, method: str) -> int:
        rng = self.rng
        if method == "PIL":
            return rng.choices((1, 2, 3), weights=(55, 25, 20))[0]
        if method == "KONDOM":
            return CONDOM_BOX * rng.choices((1, 2, 3), weights=(50, 30, 20))[0]
        return 1

    def _course(
        self,
        method: str,
        start: dt.date,
        until: dt.date,
        *,
        first_kind: engine.VisitKind = engine.VisitKind.START,
    ) -> dt.date | None:
        """The giving visits of one method from ``start`` while the next falls on or before
        ``until``; returns the last due date (None: nothing written). Short-acting visits before
        the window are not written: the first one inside it is a repeat visit."""
        rule = self.rules[method]
        on, kind, due = start, first_kind, None
        written = False
        if rule.due_rule == engine.DueRule.PER_UNIT:
            while on <= until:
                quantity = self._quantity(method)
                due = on + rule.days_per_unit * quantity * DAY
                if on >= self.window:
                    self._emit(on, method, kind, quantity=quantity, first=not written)
                    written = True
                kind = engine.VisitKind.REPEAT
                on = due + self._late(method) * DAY
            return due if written else None
        if start > until:
            return None
        self._emit(start, method, first_kind, first=True)
        if rule.due_rule == engine.DueRule.CHECKS:
            end = start + (rule.protection_days or 0) * DAY
            due = min(start + rule.first_check_days * DAY, end)
            while True:
                on = due + self.rng.randint(-10, rule.grace_days + 20) * DAY
                if on > until or on >= end:
                    break
                self._emit(on, method, engine.VisitKind.REPEAT)
                due = min(on + rule.check_interval_days * DAY, end)
            return due
        if rule.due_rule == engine.DueRule.FIXED:
            return start + (rule.protection_days or 0) * DAY
        if rule.due_rule == engine.DueRule.POSTPARTUM:
            return start + 180 * DAY
        return self.today + 3650 * DAY  # nothing falls due

    def _emit(
        self,
        on: dt.date,
        method: str,
        kind: engine.VisitKind,
        *,
        quantity: int = 1,
        reason: engine.EndReason | None = None,
        first: bool = False,
    ) -> None:
        rng = self.rng
        starts = kind in (engine.VisitKind.START, engine.VisitKind.SWITCH) or first
        if method in STERILISATION or (method in LONG_ACTING and starts):
            r = rng.random()
            if method in STERILISATION:
                where = self._kab.get("hospital") if r < 0.65 else self._kab.get("mobile")
            elif r < 0.2:
                where = self._kab.get("mobile")
            elif r < 0.6:
                where = self._local[0]
            else:
                where = self._home
            facility = where or self._home
        elif rng.random() < 0.88:
            facility = self._home
        else:
            facility = rng.choice(self._local)
        self._couple_visits.append(
            VisitRow(
                couple_key=self._key,
                on=on,
                method=method,
                kind=kind.value,
                quantity=quantity,
                facility_key=facility.key,
                provider=rng.choice(facility.providers),
                consent_recorded=starts and method in self.consent,
                stop_reason=reason.value if reason else "",
            )
        )


def generate(
    population: Population,
    *,
    rules: Mapping[str, engine.MethodRule],
    consent: frozenset[str],
) -> History:
    """The facilities and the service visits of the population's couples over the 24 months up to
    its reference date. ``rules``: the method catalogue (``services.method_rules()``);
    ``consent``: the codes of the methods that need informed consent."""
    facilities = _facilities(population.village_codes())
    historian = _Historian(population, rules, consent, facilities)
    if facilities:
        for couple in population.couples:
            historian.couple(couple)
    return History(
        start=historian.window, facilities=tuple(facilities), visits=tuple(historian.visits)
    )

"""The participation sub-indicators per village and month, for the fill engine (decision 0035).

Registered with ``indicators.sources`` by this app's ``ready``: the fill engine calls
``ParticipationSource.rows`` for each batch of villages with all their months. Each figure is a
few grouped queries for the whole batch (activities, attendances, contributions, poktan members,
cadres, follow-ups, episodes), then counted into the months' windows here: the quarter (the month
and the two before it) or the year (the month and the eleven before it), up to the month's last
day, or today for the current month. The definitions are the registry's (``indicators.registry``,
``PARTICIPATION_INDICATORS``); PI_INTENTION comes with the register's stock figures in
``indicators.fill``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from kampungkb.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceCount,
    Contribution,
    FundingSource,
    PartnerContribution,
    PoktanMember,
    held_q,
)
from kampungkb.cadres.models import Cadre
from kampungkb.contraception.models import EndReason, Episode, FollowUp, FollowUpOutcome
from kampungkb.core.periods import add_months, month_end
from kampungkb.families.models import Couple, Family, Sex
from kampungkb.indicators.fill import village_of
from kampungkb.indicators.registry import Code
from kampungkb.indicators.sources import Row

# Where a couple that does not use a method hears about family planning.
COUNSELLING_KINDS = (
    ActivityKind.COUNSELLING,
    ActivityKind.SOCIALISATION,
    ActivityKind.MENS_FORUM,
    ActivityKind.SERVICE_DAY,
)
ACCEPT_DAYS = 90
ON_TIME_DAYS = 14
QUARTER = 3
YEAR = 12
CHUNK = 2000
EPISODE_AREA = "couple__wife__family__area_id"


@dataclass(frozen=True)
class Window:
    period: dt.date
    ref: dt.date  # the month's last day, or today for the current month
    quarter: dt.date  # the first day of the quarter ending with the month
    year: dt.date  # the first day of the year ending with the month

    def in_quarter(self, day: dt.date) -> bool:
        return self.quarter <= day <= self.ref

    def in_year(self, day: dt.date) -> bool:
        return self.year <= day <= self.ref

    def in_month(self, day: dt.date) -> bool:
        return self.period <= day <= self.ref


def window(period: dt.date, today: dt.date) -> Window:
    return Window(
        period,
        min(month_end(period), today),
        add_months(period, 1 - QUARTER),
        add_months(period, 1 - YEAR),
    )


def _d(value: int | Decimal) -> Decimal:
    return Decimal(value)


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    for i in range(0, len(values), CHUNK):
        yield values[i : i + CHUNK]


class ParticipationSource:
    key = "participation"

    def rows(
        self,
        area_village: Mapping[str, str],
        wanted: Mapping[str, Sequence[dt.date]],
        today: dt.date,
        computed: Mapping[str, Mapping[dt.date, Sequence[Row]]],
    ) -> dict[tuple[str, dt.date], list[Row]]:
        windows = {p: window(p, today) for ps in wanted.values() for p in ps}
        if not windows:
            return {}
        batch = Batch(area_village, list(windows.values()))
        out: dict[tuple[str, dt.date], list[Row]] = {}
        for village, periods in wanted.items():
            for period in periods:
                w = windows[period]
                pus = next(
                    (
                        n
                        for code, sg, n, _ in computed.get(village, {}).get(period, ())
                        if code == Code.PUS and sg == ""
                    ),
                    Decimal(0),
                )
                out[(village, period)] = batch.village_rows(village, w, pus)
        return out

    def couple_rows(
        self,
        couples: Sequence[int],
        area_village: Mapping[str, str],
        wanted: Mapping[str, Sequence[dt.date]],
        today: dt.date,
    ) -> dict[tuple[str, dt.date], list[Row]]:
        """PI_ACCEPT and PI_CONTINUATION, the figures that read episodes, over ``couples``
        only (``indicators.sources.CoupleSource``, decision 0038)."""
        windows = {p: window(p, today) for ps in wanted.values() for p in ps}
        if not windows:
            return {}
        batch = Batch(area_village, list(windows.values()), couples)
        return {
            (village, period): batch.couple_figures(village, windows[period])
            for village, periods in wanted.items()
            for period in periods
        }


def in_force_q(start: dt.date) -> Q:
    """Episodes in force on the day ``start``."""
    return Q(started_on__lte=start) & (Q(ended_on__isnull=True) | Q(ended_on__gte=start))


def dropped_q(ref: dt.date) -> Q:
    """Episodes that dropped out by ``ref`` (closed as a drop-out, or open past their drop-out
    day that the daily refresh has not closed yet)."""
    return Q(end_reason=EndReason.DROP_OUT, ended_on__lte=ref) | Q(
        ended_on__isnull=True, drop_out_on__lte=ref
    )


class Batch:
    """The raw records of a batch of villages for the span of all its windows."""

    def __init__(
        self,
        area_village: Mapping[str, str],
        windows: list[Window],
        couples: Sequence[int] | None = None,
    ) -> None:
        """``couples``: only the records of the figures that read episodes, of these couples
        (``couple_figures``)."""
        self.area_village = area_village
        self.areas = list(area_village)
        self.first_year = min(w.year for w in windows)
        self.first_quarter = min(w.quarter for w in windows)
        self.last = max(w.ref for w in windows)
        self.couples = None if couples is None else sorted(set(couples))
        if self.couples is None:
            self._activities()
            self._families()
            self._poktan()
            self._cadres()
            self._follow_ups()
        self._reach()
        self._continuation(windows)

    def v(self, area: str) -> str:
        return self.area_village[area]

    # --- Loading, one grouped query each for the batch ---

    def _activities(self) -> None:
        held = Activity.objects.held().filter(
            area_id__in=self.areas,
            held_on__gte=self.first_year,
            held_on__lte=self.last,
        )
        # village -> [(id, day, counselling?, own funding, all funding)]
        self.activities: dict[str, list[tuple[int, dt.date, bool, int, int]]] = defaultdict(list)
        for pk, area, day, kind, source, amount in held.values_list(
            "pk", "area_id", "held_on", "kind", "funding_source", "funding_amount"
        ):
            own = amount if source == FundingSource.SELF_FUNDED else 0
            self.activities[self.v(area)].append((pk, day, kind in COUNSELLING_KINDS, own, amount))
        attendees: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # all, men
        named = (
            Attendance.objects.filter(activity__in=held)
            .values_list("activity_id")
            .annotate(n=Count("pk"), men=Count("pk", filter=Q(person__sex=Sex.MALE)))
            .order_by()
        )
        for pk, n, men in named:
            attendees[pk][0] += n
            attendees[pk][1] += men
        counted = (
            AttendanceCount.objects.filter(activity__in=held)
            .values_list("activity_id")
            .annotate(n=Sum("count"), men=Sum("count", filter=Q(sex=Sex.MALE)))
            .order_by()
        )
        for pk, n, men in counted:
            attendees[pk][0] += n or 0
            attendees[pk][1] += men or 0
        self.attendees = attendees
        given: dict[int, int] = defaultdict(int)
        for pk, value in (
            Contribution.objects.filter(activity__in=held, value__isnull=False)
            .values_list("activity_id")
            .annotate(v=Sum("value"))
            .order_by()
        ):
            given[pk] += value or 0
        for pk, value in (
            PartnerContribution.objects.filter(link__activity__in=held)
            .values_list("link__activity_id")
            .annotate(v=Sum("value"))
            .order_by()
        ):
            given[pk] += value or 0
        self.given = given
        # Families of the batch that contributed, by the family's area (the activity may be
        # held elsewhere): village -> [(day, family)].
        self.contributions: dict[str, list[tuple[dt.date, int]]] = defaultdict(list)
        for area, family, day in (
            Contribution.objects.filter(
                held_q("activity__"),
                person__family__area_id__in=self.areas,
                activity__held_on__gte=self.first_year,
                activity__held_on__lte=self.last,
            )
            .values_list("person__family__area_id", "person__family_id", "activity__held_on")
            .distinct()
        ):
            self.contributions[self.v(area)].append((day, family))

    def _families(self) -> None:
        self.families: dict[str, int] = defaultdict(int)
        for area, n in (
            Family.objects.filter(area_id__in=self.areas, is_active=True)
            .values_list("area_id")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            self.families[self.v(area)] += n

    def _poktan(self) -> None:
        # village -> [(member, person, poktan, joined, left)]
        self.members: dict[str, list[tuple[int, int, int, dt.date, dt.date | None]]] = defaultdict(
            list
        )
        for pk, person, poktan, area, joined, left in PoktanMember.objects.filter(
            poktan__area_id__in=self.areas, joined_on__lte=self.last
        ).values_list("pk", "person_id", "poktan_id", "poktan__area_id", "joined_on", "left_on"):
            self.members[self.v(area)].append((pk, person, poktan, joined, left))
        # (person, poktan) -> session days
        self.sessions: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
        for person, poktan, day in Attendance.objects.filter(
            held_q("activity__"),
            activity__poktan__area_id__in=self.areas,
            activity__held_on__gte=self.first_quarter,
            activity__held_on__lte=self.last,
        ).values_list("person_id", "activity__poktan_id", "activity__held_on"):
            self.sessions[(person, poktan)].append(day)

    def _cadres(self) -> None:
        # village -> [(cadre, person, account, started, ended)]
        self.cadres: dict[str, list[tuple[int, int, int | None, dt.date, dt.date | None]]] = (
            defaultdict(list)
        )
        for pk, area, person, account, started, ended in Cadre.objects.filter(
            area_id__in=self.areas, started_on__lte=self.last
        ).values_list("pk", "area_id", "person_id", "account_id", "started_on", "ended_on"):
            self.cadres[self.v(area)].append((pk, person, account, started, ended))
        persons = [c[1] for cs in self.cadres.values() for c in cs]
        accounts = [c[2] for cs in self.cadres.values() for c in cs if c[2] is not None]
        self.attended: dict[int, list[dt.date]] = defaultdict(list)
        for chunk in _chunks(sorted(set(persons))):
            for person, day in Attendance.objects.filter(
                held_q("activity__"),
                person_id__in=chunk,
                activity__held_on__gte=self.first_quarter,
                activity__held_on__lte=self.last,
            ).values_list("person_id", "activity__held_on"):
                self.attended[person].append(day)
        self.recorded: dict[int, list[dt.date]] = defaultdict(list)
        for chunk in _chunks(sorted(set(accounts))):
            for account, day in FollowUp.objects.filter(
                recorded_by_id__in=chunk, done_on__gte=self.first_quarter, done_on__lte=self.last
            ).values_list("recorded_by_id", "done_on"):
                self.recorded[account].append(day)

    def _follow_ups(self) -> None:
        # village -> [(follow-up, couple, done, due)]
        self.follow_ups: dict[str, list[tuple[int, int, dt.date, dt.date]]] = defaultdict(list)
        for pk, couple, area, done, due in FollowUp.objects.filter(
            couple__wife__family__area_id__in=self.areas,
            done_on__gte=self.first_quarter,
            done_on__lte=self.last,
            due_on__isnull=False,
        ).values_list("pk", "couple_id", "couple__wife__family__area_id", "done_on", "due_on"):
            if due is not None:
                self.follow_ups[self.v(area)].append((pk, couple, done, due))

    def _reach(self) -> None:
        """Contacts with couples: a cadre's visit or referral, or the wife or husband at a
        counselling-type activity; then the couples' episodes, to tell who used a method on the
        day and who began one after."""
        contacts: dict[int, list[dt.date]] = defaultdict(list)
        couple_village: dict[int, str] = {}
        # Over chosen couples (of the batch's areas), their ids stand for the areas' long list.
        of_batch = Q(couple__wife__family__area_id__in=self.areas)
        spouses = Q()
        if self.couples is not None:
            of_batch = Q(couple_id__in=self.couples)
            pairs = Couple.objects.filter(pk__in=self.couples).values_list("wife_id", "husband_id")
            spouses = Q(person_id__in=[p for pair in pairs for p in pair if p is not None])
        for couple, area, day in FollowUp.objects.filter(
            of_batch,
            outcome__in=[FollowUpOutcome.VISITED, FollowUpOutcome.REFERRED],
            done_on__gte=self.first_quarter,
            done_on__lte=self.last,
        ).values_list("couple_id", "couple__wife__family__area_id", "done_on"):
            contacts[couple].append(day)
            couple_village[couple] = self.v(area)
        # A wife or husband at a session counts for the couple when living in the couple's
        # village (the same whatever else the batch holds). Over chosen couples the batch names
        # only their own areas, and their spouses are found by id instead.
        heard: dict[int, list[dt.date]] = defaultdict(list)
        home: dict[int, str | None] = {}
        lives_in = Q(person__family__area_id__in=self.areas) if self.couples is None else Q()
        for person, day, area in Attendance.objects.filter(
            held_q("activity__"),
            spouses,
            lives_in,
            activity__kind__in=COUNSELLING_KINDS,
            activity__held_on__gte=self.first_quarter,
            activity__held_on__lte=self.last,
        ).values_list("person_id", "activity__held_on", "person__family__area_id"):
            heard[person].append(day)
            home[person] = village_of(area)
        for chunk in _chunks(sorted(heard)):
            for couple, wife, husband, area in Couple.objects.filter(
                Q(wife_id__in=chunk) | Q(husband_id__in=chunk),
                Q() if self.couples is None else Q(pk__in=self.couples),
            ).values_list("pk", "wife_id", "husband_id", "wife__family__area_id"):
                if area not in self.area_village:
                    continue
                village = self.v(area)
                days = [
                    day
                    for person in (wife, husband)
                    if home.get(person) == village
                    for day in heard.get(person, [])
                ]
                if days:
                    couple_village[couple] = village
                    contacts[couple] += days
        # village -> {couple: contact days}
        self.contacts: dict[str, dict[int, list[dt.date]]] = defaultdict(dict)
        for couple, days in contacts.items():
            self.contacts[couple_village[couple]][couple] = sorted(set(days))
        self.episodes: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
        for chunk in _chunks(sorted(contacts)):
            for couple, started, ended in Episode.objects.filter(couple_id__in=chunk).values_list(
                "couple_id", "started_on", "ended_on"
            ):
                self.episodes[couple].append((started, ended))

    def _continuation(self, windows: list[Window]) -> None:
        """Per quarter start, the episodes in force on it and those of them that dropped out by
        each window's last day: one query with a pair of counts per (start, end)."""
        pairs = sorted({(w.quarter, w.ref) for w in windows})
        aggregates = {}
        for i, (start, ref) in enumerate(pairs):
            in_force = Q(started_on__lte=start) & (
                Q(ended_on__isnull=True) | Q(ended_on__gte=start)
            )
            dropped = in_force & (
                Q(end_reason=EndReason.DROP_OUT, ended_on__lte=ref)
                | Q(ended_on__isnull=True, drop_out_on__lte=ref)
            )
            aggregates[f"f{i}"] = Count("pk", filter=in_force)
            aggregates[f"d{i}"] = Count("pk", filter=dropped)
        self.continuation: dict[tuple[str, dt.date, dt.date], list[int]] = defaultdict(
            lambda: [0, 0]
        )
        episodes = Episode.objects.filter(**{f"{EPISODE_AREA}__in": self.areas})
        if self.couples is not None:
            # The chosen couples are of the batch's areas: their ids are the shorter filter.
            episodes = Episode.objects.filter(couple_id__in=self.couples)
        grouped = (
            episodes.filter(started_on__lte=pairs[-1][0])
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=pairs[0][0]))
            .values(EPISODE_AREA)
            .annotate(**aggregates)
            .order_by()
        )
        for row in grouped:
            village = self.v(row[EPISODE_AREA])
            for i, (start, ref) in enumerate(pairs):
                counts = self.continuation[(village, start, ref)]
                counts[0] += row[f"f{i}"]
                counts[1] += row[f"d{i}"]

    # --- One village, one month: the records behind each figure, then the figures ---

    def counselling(self, village: str, w: Window) -> list[tuple[int, int]]:
        """(activity, attendances) of the counselling-type activities held in the quarter."""
        return [
            (pk, self.attendees[pk][0] if pk in self.attendees else 0)
            for pk, day, counselling, _, _ in self.activities.get(village, ())
            if counselling and w.in_quarter(day)
        ]

    def men_reached(self, village: str, w: Window) -> int:
        return sum(
            self.attendees[pk][1] if pk in self.attendees else 0
            for pk, day, _, _, _ in self.activities.get(village, ())
            if w.in_month(day)
        )

    def costs(self, village: str, w: Window) -> list[tuple[int, int, int]]:
        """(activity, self-funded + partners' + residents' part, all costs) of the year."""
        return [
            (pk, own + self.given.get(pk, 0), funds + self.given.get(pk, 0))
            for pk, day, _, own, funds in self.activities.get(village, ())
            if w.in_year(day)
        ]

    def contributing_families(self, village: str, w: Window) -> set[int]:
        return {f for day, f in self.contributions.get(village, ()) if w.in_year(day)}

    def poktan_members(self, village: str, w: Window) -> list[tuple[int, int, int, bool]]:
        """(member, person, poktan, attended a session of it in the quarter) of the members on
        the window's last day."""
        return [
            (
                pk,
                person,
                poktan,
                any(w.in_quarter(d) for d in self.sessions.get((person, poktan), ())),
            )
            for pk, person, poktan, joined, left in self.members.get(village, ())
            if joined <= w.ref and (left is None or left > w.ref)
        ]

    def serving_cadres(self, village: str, w: Window) -> list[tuple[int, int, bool]]:
        """(cadre, person, active in the quarter) of the cadres serving on the last day."""
        return [
            (
                pk,
                person,
                any(w.in_quarter(d) for d in self.attended.get(person, ()))
                or (
                    account is not None
                    and any(w.in_quarter(d) for d in self.recorded.get(account, ()))
                ),
            )
            for pk, person, account, started, ended in self.cadres.get(village, ())
            if started <= w.ref and (ended is None or ended > w.ref)
        ]

    def follow_ups_done(
        self, village: str, w: Window
    ) -> list[tuple[int, int, dt.date, dt.date, bool]]:
        """(follow-up, couple, done, due, on time) of the follow-ups done in the quarter."""
        return [
            (pk, couple, done, due, (done - due).days <= ON_TIME_DAYS)
            for pk, couple, done, due in self.follow_ups.get(village, ())
            if w.in_quarter(done)
        ]

    def reached(self, village: str, w: Window) -> list[tuple[int, dt.date, dt.date | None]]:
        """(couple, first contact in the quarter while using no method, the start of a method
        within ``ACCEPT_DAYS`` of it by the window's last day, if any)."""
        out = []
        for couple, days in self.contacts.get(village, {}).items():
            episodes = self.episodes.get(couple, [])
            first = next(
                (
                    d
                    for d in days
                    if w.in_quarter(d)
                    and not any(s <= d and (e is None or e > d) for s, e in episodes)
                ),
                None,
            )
            if first is None:
                continue
            until = min(first + dt.timedelta(days=ACCEPT_DAYS), w.ref)
            began = min((s for s, _ in episodes if first < s <= until), default=None)
            out.append((couple, first, began))
        return out

    def couple_figures(self, village: str, w: Window) -> list[Row]:
        """The figures that read the couples' episodes: each a sum over couples."""
        reached = self.reached(village, w)
        in_force, dropped = self.continuation.get((village, w.quarter, w.ref), [0, 0])
        return [
            (
                Code.PI_ACCEPT,
                "",
                _d(sum(1 for _, _, began in reached if began)),
                _d(len(reached)),
            ),
            (Code.PI_CONTINUATION, "", _d(in_force - dropped), _d(in_force)),
        ]

    def village_rows(self, village: str, w: Window, pus: Decimal) -> list[Row]:
        costs = self.costs(village, w)
        members = self.poktan_members(village, w)
        cadres = self.serving_cadres(village, w)
        follow_ups = self.follow_ups_done(village, w)
        families = _d(self.families.get(village, 0))
        return [
            (Code.MEN_REACHED, "", _d(self.men_reached(village, w)), None),
            *self.couple_figures(village, w),
            (Code.PI_ATTEND, "", _d(sum(n for _, n in self.counselling(village, w))), pus),
            (
                Code.PI_ON_TIME,
                "",
                _d(sum(1 for *_, on_time in follow_ups if on_time)),
                _d(len(follow_ups)),
            ),
            (Code.PI_POKTAN, "", _d(sum(1 for *_, came in members if came)), _d(len(members))),
            (Code.PI_CADRE_ACTIVE, "", _d(sum(1 for *_, a in cadres if a)), _d(len(cadres))),
            (
                Code.PI_FAMILY_CONTRIB,
                "",
                _d(len(self.contributing_families(village, w))),
                families,
            ),
            (Code.PI_CADRE_DENSITY, "", _d(len(cadres)), families),
            (
                Code.PI_COST_SHARE,
                "",
                _d(sum(own for _, own, _ in costs)),
                _d(sum(total for _, _, total in costs)),
            ),
        ]

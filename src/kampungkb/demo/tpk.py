"""The demo's family-assistance teams at work (decision 0036): one TPK in each of three
villages (see ``VILLAGES``), formed from the village's cadres (residents when they are too few),
assigned three months before the seed's day to the village's families at risk, its pregnant and
post-partum mothers and a few children under 5, and from her registration to each of its
brides-to-be (decision 0040), and visited since, about monthly (weekly for a mother in her 42
days), with some targets left overdue and some never visited.

Drawn from its own streams, ``random.Random(f"{seed}:tpk")`` (the brides' visits from
``f"{seed}:tpk-brides"``), and written through the services
(audited, the villages marked for refill), so the rest of the demo stays as it was.
``TpkIds`` lists the rows for the reset.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from django.core.exceptions import ValidationError

from kampungkb.cadres import services as cadre_services
from kampungkb.cadres import tpk_selectors, tpk_services
from kampungkb.cadres.models import (
    Cadre,
    CadreRole,
    TargetKind,
    TeamRole,
    TpkAssignment,
    TpkTeam,
    TpkVisit,
)
from kampungkb.cadres.services import CadreData
from kampungkb.core.models import AuditEvent
from kampungkb.families.models import Person, Pregnancy
from kampungkb.regions.models import Area
from kampungkb.regions.selectors import subtree_q

# Pancor, Kota Bangun Ulu, and the village Suralaga (in the kecamatan of that name), one of the
# demo PKB officer's (``pkb``).
# Not Tumbuh Mulia nor Dasan Borok: their cadres' training and incentive cycle count every
# cadre of the village (demo/programme.py, demo/incentives.py).
VILLAGES = ("52.03.07.1001", "64.02.08.2005", "52.03.13.2005")
MONTHS_BACK_DAYS = 91
CHILDREN_PER_TEAM = 4
LEFT_OVERDUE = 0.25  # targets whose last due visit did not happen
NEVER_VISITED = 0.1
SEATS = (TeamRole.MIDWIFE, TeamRole.PKK_CADRE, TeamRole.KB_CADRE)
CHECKLIST_ODDS = {
    "spacing_counselling": 0.6,
    "nutrition_counselling": 0.7,
    "postpartum_contraception": 0.3,
    "referred_to_puskesmas": 0.15,
    "social_assistance": 0.2,
}


@dataclass
class TpkIds:
    teams: list[int] = field(default_factory=list)
    cadres: list[int] = field(default_factory=list)
    assignments: list[int] = field(default_factory=list)
    visits: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, list[int]]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TpkIds:
        return cls(**{f.name: list(data.get(f.name, [])) for f in fields(cls)})


def _members(
    team: TpkTeam, village: Area, family_ids: list[int], start: dt.date, ids: TpkIds
) -> list[Cadre]:
    """Three of the village's cadres (its PPKBD and Sub-PPKBD, the first by id), else adults of
    its demo families."""
    adults = Person.objects.filter(
        subtree_q("family__area_id", [village.code]),
        family_id__in=family_ids,
        died_on__isnull=True,
        birth_date__lte=tpk_services.birthday(start, -22),
        birth_date__gt=tpk_services.birthday(start, -55),
    ).exclude(pk__in=Cadre.objects.filter(role=CadreRole.TPK_MEMBER).values("person_id"))
    cadres = adults.filter(
        cadre_roles__is_active=True, cadre_roles__area__pk__startswith=village.code
    ).distinct()
    people = [*cadres.order_by("pk"), *adults.exclude(pk__in=cadres).order_by("pk")]
    seats = []
    for seat, person in zip(SEATS, people, strict=False):
        cadre = cadre_services.cadre_register(
            person=person,
            data=CadreData(
                role=CadreRole.TPK_MEMBER,
                area=village,
                started_on=start,
                tpk_team=team,
                team_role=seat,
            ),
            actor=None,
        )
        ids.cadres.append(cadre.pk)
        seats.append(cadre)
    return seats


def _assign(team: TpkTeam, start: dt.date, family_ids: list[int], rng: random.Random) -> None:
    """The village's families at risk, pregnant and post-partum mothers, and a few children."""
    tpk_services.tpk_assign_at_risk(team=team, on=start, actor=None)
    pregnancies = Pregnancy.objects.filter(
        subtree_q("couple__wife__family__area_id", [team.village_id]),
        couple__wife__family_id__in=family_ids,
    ).select_related("couple__wife__family")
    for pregnancy in pregnancies.order_by("pk"):
        for kind in (TargetKind.PREGNANCY, TargetKind.POSTPARTUM):
            try:
                tpk_services.check_eligible(kind, pregnancy, start)
            except ValidationError:
                continue
            tpk_services.tpk_assignment_create(
                team=team, kind=kind, target=pregnancy, started_on=start, actor=None
            )
    children = list(
        Person.objects.filter(
            subtree_q("family__area_id", [team.village_id]),
            family_id__in=family_ids,
            died_on__isnull=True,
            birth_date__lte=start,
            birth_date__gt=tpk_services.birthday(start, -5),
        )
        .exclude(tpk_assignments__ended_on__isnull=True)
        .select_related("family")
        .order_by("pk")
    )
    for child in rng.sample(children, min(CHILDREN_PER_TEAM, len(children))):
        tpk_services.tpk_assignment_create(
            team=team, kind=TargetKind.CHILD, target=child, started_on=start, actor=None
        )
    # The pregnancies that ended since: their mothers go on as post-partum mothers.
    couples = pregnancies.filter(ended_on__isnull=False).values_list("couple_id", flat=True)
    tpk_services.tpk_follow_couples(list(couples))


def _assign_brides(team: TpkTeam, today: dt.date) -> None:
    """The village's brides-to-be not yet pregnant (``demo/brides.py``), each from the day she
    was registered."""
    for bride in tpk_selectors.brides_to_accompany(team.village_id, today):
        tpk_services.tpk_assignment_create(
            team=team,
            kind=TargetKind.BRIDE,
            target=bride,
            started_on=bride.registered_on,
            actor=None,
        )


def _visits(
    assignment: TpkAssignment, members: list[Cadre], today: dt.date, rng: random.Random
) -> list[int]:
    if rng.random() < NEVER_VISITED:
        return []
    last_day = min(today, assignment.ended_on or today)
    overdue = rng.random() < LEFT_OVERDUE
    # A bride registered a few days ago is seen within those days.
    first = (
        10
        if assignment.kind != TargetKind.BRIDE
        else min(10, (last_day - assignment.started_on).days)
    )
    day = assignment.started_on + dt.timedelta(days=rng.randint(0, first))
    made: list[int] = []
    target = tpk_services.assignment_target(assignment)
    while day <= last_day:
        try:
            tpk_services.check_eligible(assignment.kind, target, day)
        except ValidationError:
            break
        visit = tpk_services.tpk_visit_record(
            assignment=assignment,
            visited_on=day,
            members=[m.pk for m in rng.sample(members, rng.randint(1, len(members)))],
            checklist={k: rng.random() < p for k, p in CHECKLIST_ODDS.items()},
            actor=None,
        )
        made.append(visit.pk)
        day = visit.next_visit_on + dt.timedelta(days=rng.randint(-3, 6))
        if overdue and day + dt.timedelta(days=30) > last_day:
            break  # this one's next visit is due, or overdue, and not made yet
    return made


def tpk_seed(*, seed: int, today: dt.date, family_ids: list[int]) -> TpkIds:
    """A team at work in each programme village (see the module)."""
    rng = random.Random(f"{seed}:tpk")
    brides_rng = random.Random(f"{seed}:tpk-brides")
    ids = TpkIds()
    start = today - dt.timedelta(days=MONTHS_BACK_DAYS)
    for village in Area.objects.filter(code__in=VILLAGES).order_by("code"):
        team = cadre_services.tpk_team_create(
            village=village, name=f"TPK {village.name} 1", actor=None
        )
        ids.teams.append(team.pk)
        members = _members(team, village, family_ids, start, ids)
        if not members:
            continue
        _assign(team, start, family_ids, rng)
        _assign_brides(team, today)
        rows = (
            TpkAssignment.objects.filter(team=team)
            .select_related(
                "family", "pregnancy__couple__wife__family", "child__family", "bride", "team"
            )
            .order_by("pk")
        )
        for assignment in rows:
            ids.assignments.append(assignment.pk)
            stream = brides_rng if assignment.kind == TargetKind.BRIDE else rng
            ids.visits += _visits(assignment, members, today, stream)
    return ids


def tpk_reset(ids: TpkIds) -> None:
    """Remove what ``tpk_seed`` wrote, with the audit events about it (before the persons go)."""
    for model, pks in (
        (TpkVisit, ids.visits),
        (TpkAssignment, ids.assignments),
        (Cadre, ids.cadres),
        (TpkTeam, ids.teams),
    ):
        AuditEvent.objects.filter(
            object_type=model._meta.label_lower, object_id__in=[str(pk) for pk in pks]
        ).delete()
    TpkVisit.objects.filter(pk__in=ids.visits).delete()
    TpkAssignment.objects.filter(pk__in=ids.assignments).delete()
    Cadre.objects.filter(pk__in=ids.cadres).delete()
    TpkTeam.objects.filter(pk__in=ids.teams).delete()

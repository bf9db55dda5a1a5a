"""Reads of Kampung KB: lists, one Kampung KB, its profile in force for a month and its history,
the village's figures (facts), partners and poktan, and the inputs the classification reads.

Every read a page or the API makes is scoped (``accounts.scope``). The classification inputs are
read by the system (``SYSTEM``) when a month is classified, never when a page is shown: pages
show the stored ``Classification`` snapshot.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404

from kampungkb.accounts.models import Role, RoleAssignment, User
from kampungkb.accounts.scope import SYSTEM, Capability, get_scoped_or_404, scoped
from kampungkb.activities.models import (
    MANAGEMENT_KINDS,
    Activity,
    ActivityPartner,
    Poktan,
    PoktanMember,
    held_q,
)
from kampungkb.core.periods import add_months, month_end, month_start
from kampungkb.families.models import Family
from kampungkb.indicators.registry import Code
from kampungkb.indicators.selectors import fact_list
from kampungkb.kampung.classification import PARTICIPATION_KINDS, Inputs, KampungClass, Pair
from kampungkb.kampung.models import Classification, ClassificationRules, KampungKb, ProfileVersion
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import subtree_q

# The village's figures shown on the page, from the facts.
FACT_CODES = (Code.PUS, Code.PA, Code.CPR, Code.MKJP, Code.UNMET_NEED)
# Target groups of the poktan (DOMAIN.md section 7): ages in completed years on the month's last day.
TODDLER_MAX_AGE = 4  # a child under 5
TEEN_MIN_AGE, TEEN_MAX_AGE = 10, 24
ELDERLY_MIN_AGE = 60


# -- Kampung KB ---------------------------------------------------------------------------------


def _class_in(month: dt.date) -> Subquery:
    """The class of the month, or of the latest month before it that was classified."""
    return Subquery(
        Classification.objects.filter(kampung=OuterRef("pk"), month__lte=month)
        .order_by("-month")
        .values("klass")[:1]
    )


def _class_month_in(month: dt.date) -> Subquery:
    return Subquery(
        Classification.objects.filter(kampung=OuterRef("pk"), month__lte=month)
        .order_by("-month")
        .values("month")[:1]
    )


def kampung_list(
    *,
    user: Any,
    month: dt.date,
    area_code: str | None = None,
    klass: str | None = None,
    include_inactive: bool = False,
) -> QuerySet[KampungKb]:
    """The Kampung KB the user sees, within ``area_code``, each annotated with ``klass`` (its class
    in ``month`` or the latest classified month before, None when never classified) and
    ``klass_month``. ``klass=""`` is none yet."""
    qs = scoped(user, KampungKb.objects.select_related("village__parent"))
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if area_code:
        qs = qs.filter(subtree_q("village_id", [area_code]))
    qs = qs.annotate(klass=_class_in(month), klass_month=_class_month_in(month))
    if klass == "":
        qs = qs.filter(klass__isnull=True)
    elif klass:
        qs = qs.filter(klass=klass)
    return qs.order_by("village_id", "id")


def class_counts(rows: list[KampungKb]) -> dict[str, int]:
    """How many of ``rows`` (from ``kampung_list``) are in each class; "" never classified."""
    counts = Counter(getattr(k, "klass", None) or "" for k in rows)
    return {c: counts[c] for c in [*KampungClass.values, ""]}


def kampung_get(
    *, user: Any, pk: int, capability: Capability = Capability.VIEW_AGGREGATES
) -> KampungKb:
    return get_scoped_or_404(
        user,
        KampungKb.objects.select_related("village__parent").prefetch_related(
            Prefetch("rws", queryset=Area.objects.order_by("code"))
        ),
        capability,
        pk=pk,
    )


def village_choices(*, user: Any) -> QuerySet[Area]:
    """Villages where the user may register a Kampung KB, with their kecamatan."""
    return scoped(
        user,
        Area.objects.filter(level=Level.VILLAGE, is_active=True).select_related("parent"),
        Capability.EDIT_PROGRAMME,
    ).order_by("code")


def rw_choices(village: Area) -> QuerySet[Area]:
    """The RW (or dusun) of a village."""
    return Area.objects.filter(parent=village, level=Level.HAMLET, is_active=True).order_by("code")


def pkb_choices(village: Area) -> QuerySet[User]:
    """PKB/PLKB officers whose assigned areas include the village."""
    codes = [*village.ancestor_codes(), village.code]
    user_ids = RoleAssignment.objects.filter(role=Role.PKB_OFFICER, area_id__in=codes).values(
        "user_id"
    )
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("full_name", "username")


# -- Profiles -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileInForce:
    profile: ProfileVersion | None
    month: dt.date  # the month asked for

    @property
    def is_own(self) -> bool:
        """The month has its own profile (else an earlier month's is in force, or none)."""
        return self.profile is not None and self.profile.month == self.month


def profile_in_force(*, kampung: KampungKb, month: dt.date) -> ProfileInForce:
    """The active profile of the month, else the latest active one of an earlier month."""
    month = month_start(month)
    profile = (
        ProfileVersion.objects.filter(kampung=kampung, is_active=True, month__lte=month)
        .select_related("pkb", "created_by")
        .order_by("-month")
        .first()
    )
    return ProfileInForce(profile=profile, month=month)


def profile_versions(*, kampung: KampungKb) -> QuerySet[ProfileVersion]:
    """Every version of every month, newest month and version first."""
    return (
        ProfileVersion.objects.filter(kampung=kampung)
        .select_related("created_by")
        .order_by("-month", "-version")
    )


def profile_version_get(*, kampung: KampungKb, pk: int) -> ProfileVersion:
    version = (
        ProfileVersion.objects.filter(kampung=kampung, pk=pk)
        .select_related("pkb", "created_by")
        .first()
    )
    if version is None:
        raise Http404
    return version


# -- Classification -----------------------------------------------------------------------------


def rules_for(month: dt.date) -> ClassificationRules | None:
    """The rules version in force in the month (the latest that starts on or before its end)."""
    return (
        ClassificationRules.objects.filter(valid_from__lte=month_end(month))
        .order_by("-valid_from")
        .first()
    )


def classification_get(*, kampung: KampungKb, month: dt.date) -> Classification | None:
    """The classification of the month, else of the latest classified month before it."""
    return (
        Classification.objects.filter(kampung=kampung, month__lte=month_start(month))
        .select_related("rules")
        .order_by("-month")
        .first()
    )


def classification_history(*, kampung: KampungKb) -> QuerySet[Classification]:
    return Classification.objects.filter(kampung=kampung).select_related("rules").order_by("month")


def _window(month: dt.date) -> tuple[dt.date, dt.date]:
    """Management activities and partners count from January to the month's end (decision
    0022)."""
    return month.replace(month=1, day=1), month_end(month)


def management_kinds_held(*, village_code: str, month: dt.date) -> list[str]:
    start, end = _window(month)
    kinds = (
        Activity.objects.held()
        .filter(
            subtree_q("area_id", [village_code]),
            kind__in=list(MANAGEMENT_KINDS),
            held_on__gte=start,
            held_on__lte=end,
        )
        .order_by("kind")
        .values_list("kind", flat=True)
        .distinct()
    )
    return list(kinds)


def partners_in_activities(*, village_code: str, month: dt.date) -> list[tuple[int, str]]:
    """The distinct partner agencies of the village's activities in the window: (id, name)."""
    start, end = _window(month)
    rows = (
        ActivityPartner.objects.filter(
            held_q("activity__"),
            subtree_q("activity__area_id", [village_code]),
            activity__held_on__gte=start,
            activity__held_on__lte=end,
        )
        .order_by("partner__name", "partner_id")
        .values_list("partner_id", "partner__name")
        .distinct()
    )
    return list(rows)


def poktan_active(*, village_code: str, month: dt.date) -> QuerySet[Poktan]:
    """The village's poktan active and established by the month's end."""
    end = month_end(month)
    return Poktan.objects.filter(
        Q(established_on__isnull=True) | Q(established_on__lte=end),
        subtree_q("area_id", [village_code]),
        is_active=True,
    )


def _members_on(day: dt.date) -> Q:
    return Q(joined_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gt=day))


def poktan_rows(*, village_code: str, month: dt.date) -> QuerySet[Poktan]:
    """The village's active poktan with their member counts at the month's end (one query)."""
    end = month_end(month)
    return (
        poktan_active(village_code=village_code, month=month)
        .select_related("area")
        .annotate(
            member_count=Count(
                "members",
                filter=Q(members__joined_on__lte=end)
                & (Q(members__left_on__isnull=True) | Q(members__left_on__gt=end)),
            )
        )
        .order_by("kind", "name")
    )


def _born_by(day: dt.date, age: int) -> dt.date:
    """The last birth date of a person aged at least ``age`` on ``day``."""
    return add_months(day, -12 * age)


@dataclass(frozen=True)
class RegisterCounts:
    families: int
    with_toddlers: int
    with_teenagers: int
    with_elderly: int
    teenagers: int


def register_counts(*, village_code: str, month: dt.date) -> RegisterCounts:
    """The village's active families, those with a toddler, a teenager or an elderly member,
    and its teenagers, on the month's last day: one grouped query."""
    end = month_end(month)
    alive = Q(members__is_active=True, members__birth_date__lte=end) & (
        Q(members__died_on__isnull=True) | Q(members__died_on__gt=end)
    )
    toddler = Q(members__birth_date__gt=_born_by(end, TODDLER_MAX_AGE + 1))
    teen = Q(
        members__birth_date__lte=_born_by(end, TEEN_MIN_AGE),
        members__birth_date__gt=_born_by(end, TEEN_MAX_AGE + 1),
    )
    elderly = Q(members__birth_date__lte=_born_by(end, ELDERLY_MIN_AGE))
    counts = Family.objects.filter(subtree_q("area_id", [village_code]), is_active=True).aggregate(
        families=Count("id", distinct=True),
        with_toddlers=Count("id", distinct=True, filter=alive & toddler),
        with_teenagers=Count("id", distinct=True, filter=alive & teen),
        with_elderly=Count("id", distinct=True, filter=alive & elderly),
        teenagers=Count("members", distinct=True, filter=alive & teen),
    )
    return RegisterCounts(**counts)


def poktan_member_counts(*, village_code: str, month: dt.date) -> dict[str, int]:
    """Distinct members of the village's active poktan per kind at the month's end (one query)."""
    end = month_end(month)
    poktan = poktan_active(village_code=village_code, month=month)
    rows = (
        PoktanMember.objects.filter(_members_on(end), poktan__in=poktan)
        .values("poktan__kind")
        .annotate(n=Count("person", distinct=True))
        .order_by()
    )
    return {r["poktan__kind"]: r["n"] for r in rows}


def participation_pairs(*, village_code: str, month: dt.date) -> dict[str, Pair]:
    counts = register_counts(village_code=village_code, month=month)
    members = poktan_member_counts(village_code=village_code, month=month)
    targets = {
        "bkb": counts.with_toddlers,
        "bkr": counts.with_teenagers,
        "bkl": counts.with_elderly,
        "uppka": counts.families,
        "pikr": counts.teenagers,
    }
    return {k: Pair(members=members.get(k, 0), target=targets[k]) for k in PARTICIPATION_KINDS}


def village_facts(*, user: Any, village_code: str, month: dt.date) -> dict[str, Decimal | None]:
    """The village's PUS, PA, CPR, MKJP share and unmet need of the month (one query); a code
    without a fact is absent."""
    facts = fact_list(
        user=user, codes=FACT_CODES, month_from=month, month_to=month, area_codes=[village_code]
    )
    return {f.indicator: f.value for f in facts}


def classification_inputs(
    *, kampung: KampungKb, month: dt.date, profile: ProfileVersion | None
) -> Inputs:
    """What the classification of the month reads, by the system (the whole nation)."""
    code = kampung.village_id
    facts = village_facts(user=SYSTEM, village_code=code, month=month)
    poktan_kinds = sorted(
        set(poktan_active(village_code=code, month=month).values_list("kind", flat=True))
    )
    partners = partners_in_activities(village_code=code, month=month)
    profile_part: dict[str, Any] = {}
    if profile is not None:
        profile_part = {
            "has_profile": True,
            "pokja_exists": profile.pokja_exists,
            "pokja_members": profile.pokja_members,
            "pokja_trained": profile.pokja_trained,
            "funding_sources": tuple(profile.funding_sources),
            "has_secretariat": profile.has_secretariat,
            "has_rumah_dataku": profile.has_rumah_dataku,
            "pkb_assigned": profile.pkb_id is not None or bool(profile.supervisor_name),
            "regulation_issued": profile.regulation_issued,
            "data_sources": tuple(profile.data_sources),
        }
    return Inputs(
        **profile_part,
        poktan_kinds=tuple(poktan_kinds),
        management_kinds=tuple(management_kinds_held(village_code=code, month=month)),
        partners=tuple(name for _pk, name in partners),
        participation=participation_pairs(village_code=code, month=month),
        cpr=facts.get(Code.CPR),
        mkjp=facts.get(Code.MKJP),
        unmet_need=facts.get(Code.UNMET_NEED),
    )


def partners_of_village(*, village_code: str, month: dt.date) -> list[dict[str, Any]]:
    """Partners active in the village in the year to the month: name, kind, activities (one
    query)."""
    start, end = _window(month)
    rows = (
        ActivityPartner.objects.filter(
            held_q("activity__"),
            subtree_q("activity__area_id", [village_code]),
            activity__held_on__gte=start,
            activity__held_on__lte=end,
        )
        .values("partner_id", "partner__name", "partner__kind")
        .annotate(activities=Count("activity", distinct=True))
        .order_by("partner__name", "partner_id")
    )
    return [
        {
            "id": r["partner_id"],
            "name": r["partner__name"],
            "kind": r["partner__kind"],
            "activities": r["activities"],
        }
        for r in rows
    ]


def kampung_map_points(*, user: Any, area_code: str, month: dt.date) -> list[KampungKb]:
    """Active Kampung KB within the area with their class, each with coordinates (its own, else
    the village's); those without any are left out."""
    rows = kampung_list(user=user, month=month, area_code=area_code)
    return [k for k in rows if k.latitude is not None or k.village.latitude is not None]


# -- On the dashboard's village map (reports) ---------------------------------------------------


def with_kampung_kb(villages: QuerySet[Area], month: dt.date) -> QuerySet[Area]:
    """The villages, each annotated with its active Kampung KB (``kampung_pk``, ``kampung_name``,
    ``kampung_lat``, ``kampung_lng``) and that Kampung KB's class in the month or the latest
    month before it (``kampung_class``): joined into the villages' own query, no query more."""
    active = FilteredRelation("kampung_kbs", condition=Q(kampung_kbs__is_active=True))
    return villages.annotate(active_kampung=active).annotate(
        kampung_pk=F("active_kampung__id"),
        kampung_name=F("active_kampung__name"),
        kampung_lat=F("active_kampung__latitude"),
        kampung_lng=F("active_kampung__longitude"),
        kampung_class=Subquery(
            Classification.objects.filter(
                kampung_id=OuterRef("active_kampung__id"), month__lte=month_start(month)
            )
            .order_by("-month")
            .values("klass")[:1]
        ),
    )

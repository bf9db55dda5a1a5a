"""Reads of the activities app. Every read goes through ``scoped``: one selector serves the page,
the API and the exports.

Who sees what: anyone with aggregates in the activity's area sees the activity, its counts,
partners and contributions (without who contributed); named attendees, contributors and photos
only to users who see named persons there. A partner user (the partner role with a
``PartnerMembership``) sees only the activities its partner took part in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from kampungkb.accounts.models import Role
from kampungkb.accounts.scope import NATIONAL, Capability, get_scoped_or_404, scope_for, scoped
from kampungkb.activities.models import (
    Activity,
    ActivityPartner,
    ActivityPhoto,
    ActivityStatus,
    AgeGroup,
    Attendance,
    AttendanceCount,
    Contribution,
    PartnerContribution,
    Poktan,
    PoktanMember,
)
from kampungkb.families.models import Person, Sex
from kampungkb.partners.models import Partner, PartnerMembership
from kampungkb.regions.models import Level
from kampungkb.regions.selectors import subtree_q

VIEW = Capability.VIEW_AGGREGATES
EDIT = Capability.EDIT_PROGRAMME
# Roles that see activities in their areas whatever partner took part.
_AREA_ROLES = frozenset(
    {Role.ADMIN, Role.DISTRICT_OFFICER, Role.PKB_OFFICER, Role.CADRE, Role.VIEWER}
)
_NO_PARTNER = -1


# -- Who sees what --------------------------------------------------------------------------------


def partner_of(user: Any) -> int | None:
    """The partner a partner user speaks for (``-1`` for a partner user without one); None for
    every other user, who sees activities by area."""
    scope = scope_for(user)
    if getattr(user, "is_superuser", False) or Role.PARTNER not in scope.roles:
        return None
    if scope.roles & _AREA_ROLES:
        return None
    cached = getattr(user, "_kampungkb_partner", None)
    if cached is None:
        membership = PartnerMembership.objects.filter(user=user).values_list("partner_id").first()
        cached = membership[0] if membership else _NO_PARTNER
        user._kampungkb_partner = cached
    return int(cached)


def sees_names(user: Any, activity: Activity) -> bool:
    """Whether the user may see who attended (and who contributed) at the activity."""
    return partner_of(user) is None and scope_for(user).can(
        Capability.VIEW_PERSONS, activity.area_id
    )


def _ancestors(codes: frozenset[str]) -> set[str]:
    out: set[str] = set()
    for code in codes:
        parts = code.split(".")
        out.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return out


def _related_area_q(field: str, roots: frozenset[str]) -> Q:
    """Rows whose area lies in the roots' subtrees or contains one of the roots (a partner of the
    kabupaten works in each of its villages)."""
    return subtree_q(field, roots) | Q(**{f"{field}__in": sorted(_ancestors(roots))})


def partner_choices(
    *, user: Any, capability: Capability = EDIT, include_inactive: bool = False
) -> QuerySet[Partner]:
    """Active partners that work where the user holds ``capability``: registered in, or serving,
    an area in the user's areas or one that contains them. ``user=None`` is the system."""
    qs = Partner.objects.all() if include_inactive else Partner.objects.filter(is_active=True)
    qs = qs.order_by("name", "pk")
    if user is None:
        return qs
    roots = scope_for(user).areas(capability)
    if NATIONAL in roots:
        return qs
    if not roots:
        return qs.none()
    served = Partner.areas_served.through.objects.filter(partner_id=OuterRef("pk")).filter(
        _related_area_q("area_id", roots)
    )
    return qs.filter(_related_area_q("area_id", roots) | Exists(served))


# -- Activities -----------------------------------------------------------------------------------


def _count_of(model: Any, aggregate: Any, **lookups: Any) -> Coalesce:
    rows = (
        model.objects.filter(activity=OuterRef("pk"), **lookups)
        .order_by()
        .values("activity")
        .annotate(n=aggregate)
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def with_attendance_totals(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    """Each activity with its attendees by sex, named (``named_m``, ``named_f``) and counted
    (``counted_m``, ``counted_f``), and ``attendance_total``, in the list's one query."""
    return qs.annotate(
        named_m=_count_of(Attendance, Count("pk"), person__sex=Sex.MALE),
        named_f=_count_of(Attendance, Count("pk"), person__sex=Sex.FEMALE),
        counted_m=_count_of(AttendanceCount, Sum("count"), sex=Sex.MALE),
        counted_f=_count_of(AttendanceCount, Sum("count"), sex=Sex.FEMALE),
    ).annotate(attendance_total=F("named_m") + F("named_f") + F("counted_m") + F("counted_f"))


def _visible(user: Any) -> QuerySet[Activity]:
    qs = scoped(user, Activity.objects.all(), VIEW)
    partner_id = partner_of(user)
    if partner_id is not None:
        qs = qs.filter(
            Exists(ActivityPartner.objects.filter(activity=OuterRef("pk"), partner_id=partner_id))
        )
    return qs


def activity_list(
    *,
    user: Any,
    area_code: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    kind: str | None = None,
    partner_id: int | None = None,
    poktan_id: int | None = None,
    query: str = "",
    status: str | None = None,
) -> QuerySet[Activity]:
    """Activities the user may see (of ``status``, or all), newest first, with their attendance
    totals."""
    qs = _visible(user)
    if status:
        qs = qs.filter(status=status)
    if area_code:
        qs = qs.filter(subtree_q("area_id", [area_code]))
    if date_from is not None:
        qs = qs.filter(held_on__gte=date_from)
    if date_to is not None:
        qs = qs.filter(held_on__lte=date_to)
    if kind:
        qs = qs.filter(kind=kind)
    if partner_id is not None:
        qs = qs.filter(
            Exists(ActivityPartner.objects.filter(activity=OuterRef("pk"), partner_id=partner_id))
        )
    if poktan_id is not None:
        qs = qs.filter(poktan_id=poktan_id)
    for word in query.split():
        qs = qs.filter(
            Q(title__icontains=word) | Q(organiser__icontains=word) | Q(place__icontains=word)
        )
    return with_attendance_totals(
        qs.select_related("area__parent__parent", "poktan").order_by("-held_on", "-pk")
    )


def planned_list(
    *,
    user: Any,
    area_code: str | None = None,
    kind: str | None = None,
    query: str = "",
) -> QuerySet[Activity]:
    """Planned activities the user may see, the soonest (and the overdue) first."""
    qs = activity_list(
        user=user, area_code=area_code, kind=kind, query=query, status=ActivityStatus.PLANNED
    )
    return qs.order_by("held_on", "pk")


@dataclass(frozen=True)
class Totals:
    named_m: int
    named_f: int
    counted_m: int
    counted_f: int

    @property
    def male(self) -> int:
        return self.named_m + self.counted_m

    @property
    def female(self) -> int:
        return self.named_f + self.counted_f

    @property
    def total(self) -> int:
        return self.male + self.female


def attendance_totals(activities: QuerySet[Activity]) -> Totals:
    """The sums of ``with_attendance_totals`` over a list (its totals row), in one query."""
    keys = ("named_m", "named_f", "counted_m", "counted_f")
    # The sums take other names than the annotations they add up.
    sums = activities.order_by().aggregate(**{f"sum_{k}": Coalesce(Sum(k), 0) for k in keys})
    return Totals(**{k: int(sums[f"sum_{k}"]) for k in keys})


@dataclass(frozen=True)
class PeopleReached:
    named: int  # distinct persons from the register
    counted: int  # attendees counted without names

    @property
    def total(self) -> int:
        return self.named + self.counted


def people_reached(activities: QuerySet[Activity]) -> PeopleReached:
    """People reached by the activities: each named person once however many they attended, plus
    the attendees counted without names (who cannot be told apart, so are all added up)."""
    ids = activities.order_by().values("pk")
    named = Attendance.objects.filter(activity__in=ids).values("person_id").distinct().count()
    counted = AttendanceCount.objects.filter(activity__in=ids).aggregate(n=Sum("count"))["n"]
    return PeopleReached(named=named, counted=counted or 0)


def activity_get(*, user: Any, pk: int, capability: Capability | None = None) -> Activity:
    """One activity the user may see (with ``capability``: change); else not found."""
    qs = _visible(user) if capability is None else Activity.objects.all()
    return get_scoped_or_404(
        user,
        with_attendance_totals(qs.select_related("area__parent__parent", "poktan", "recorded_by")),
        capability or VIEW,
        pk=pk,
    )


def activity_attendees(activity: Activity, *, user: Any) -> QuerySet[Person]:
    """The named attendees the user may see (those living outside the user's areas are left out:
    the totals still count them)."""
    qs = Person.objects.filter(attendances__activity=activity)
    return (
        scoped(user, qs, Capability.VIEW_PERSONS)
        .select_related("family__area__parent__parent")
        .order_by("full_name", "pk")
    )


def attendance_grid(activity: Activity) -> dict[tuple[str, str], int]:
    """The counted attendees by (sex, age group); every cell present, 0 when nobody."""
    grid = {(sex, age.value): 0 for sex in (Sex.MALE.value, Sex.FEMALE.value) for age in AgeGroup}
    for count in activity.counts.all():
        grid[(count.sex, count.age_group)] = count.count
    return grid


def activity_contributions(activity: Activity) -> QuerySet[Contribution]:
    return activity.contributions.select_related("person").order_by("pk")


def activity_partner_links(activity: Activity) -> QuerySet[ActivityPartner]:
    return (
        activity.partner_links.select_related("partner")
        .prefetch_related(
            Prefetch("contributions", queryset=PartnerContribution.objects.order_by("pk"))
        )
        .order_by("partner__name", "pk")
    )


def activity_photos(activity: Activity) -> QuerySet[ActivityPhoto]:
    return activity.photos.order_by("pk")


def photo_get(
    *, user: Any, pk: int, capability: Capability = Capability.VIEW_PERSONS
) -> ActivityPhoto:
    """A photo, only for users who see named persons in its activity's area (a photo shows
    faces); else not found."""
    photo = ActivityPhoto.objects.select_related("activity").filter(pk=pk).first()
    if photo is None or partner_of(user) is not None:
        raise Http404
    if not scope_for(user).can(capability, photo.activity.area_id):
        raise Http404
    return photo


def contribution_get(*, user: Any, pk: int) -> Contribution:
    contribution = Contribution.objects.select_related("activity").filter(pk=pk).first()
    if contribution is None or not scope_for(user).can(EDIT, contribution.activity.area_id):
        raise Http404
    return contribution


def tick_list(*, user: Any, activity: Activity, query: str = "") -> QuerySet[Person]:
    """The persons who may be ticked as present: living residents of the activity's village (or,
    for an activity of a sub-district, of the sub-district) that the user may record, those
    already present first, then by name. ``query`` searches names (every word) or the start of
    the NIK."""
    area = activity.area_id
    if activity.area.level >= Level.VILLAGE:
        area = ".".join(area.split(".")[:4])
    qs = scoped(user, Person.objects.all(), EDIT).filter(
        subtree_q("family__area_id", [area]),
        is_active=True,
        died_on__isnull=True,
        family__is_active=True,
    )
    query = query.strip()
    digits = query.replace(" ", "")
    if digits.isdigit() and len(digits) >= 4:
        qs = qs.filter(nik__startswith=digits)
    else:
        for word in query.split():
            qs = qs.filter(full_name__icontains=word)
    present = Attendance.objects.filter(activity=activity, person=OuterRef("pk"))
    return (
        qs.annotate(present=Exists(present))
        .select_related("family__area__parent__parent")
        .order_by("-present", "full_name", "pk")
    )


# -- Poktan ---------------------------------------------------------------------------------------


def poktan_list(
    *,
    user: Any,
    area_code: str | None = None,
    kind: str | None = None,
    include_inactive: bool = False,
) -> QuerySet[Poktan]:
    """Poktan the user may see, with their current members and the date of the last session."""
    qs = scoped(user, Poktan.objects.all(), VIEW)
    if area_code:
        qs = qs.filter(subtree_q("area_id", [area_code]))
    if kind:
        qs = qs.filter(kind=kind)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    members = (
        PoktanMember.objects.filter(poktan=OuterRef("pk"), left_on__isnull=True)
        .order_by()
        .values("poktan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last = (
        Activity.objects.held()
        .filter(poktan=OuterRef("pk"))
        .order_by("-held_on")
        .values("held_on")[:1]
    )
    return (
        qs.annotate(
            member_count=Coalesce(Subquery(members, output_field=IntegerField()), Value(0)),
            last_session_on=Subquery(last),
        )
        .select_related("area__parent__parent")
        .order_by("area_id", "kind", "name")
    )


def poktan_get(*, user: Any, pk: int, capability: Capability | None = None) -> Poktan:
    return get_scoped_or_404(
        user, Poktan.objects.select_related("area__parent__parent"), capability or VIEW, pk=pk
    )


def poktan_members(poktan: Poktan, *, user: Any) -> QuerySet[PoktanMember]:
    """Members the user may see by name, current members first."""
    persons = scoped(user, Person.objects.all(), Capability.VIEW_PERSONS)
    return (
        poktan.members.filter(person__in=persons)
        .select_related("person__family__area__parent__parent")
        .order_by(F("left_on").desc(nulls_first=True), "person__full_name", "pk")
    )


def poktan_member_get(*, user: Any, pk: int) -> PoktanMember:
    member = PoktanMember.objects.select_related("poktan", "person").filter(pk=pk).first()
    if member is None or not scope_for(user).can(EDIT, member.poktan.area_id):
        raise Http404
    return member


def poktan_sessions(poktan: Poktan, *, user: Any) -> QuerySet[Activity]:
    """The poktan's sessions held (its monthly meetings), newest first, with attendance."""
    return activity_list(user=user, poktan_id=poktan.pk, status=ActivityStatus.HELD)


def poktan_choices(*, user: Any, within: str | None = None) -> QuerySet[Poktan]:
    """Active poktan whose sessions the user may record."""
    qs = scoped(user, Poktan.objects.filter(is_active=True), EDIT)
    if within:
        qs = qs.filter(subtree_q("area_id", [within]))
    return qs.select_related("area").order_by("area_id", "kind", "name")


def member_candidates(*, user: Any, poktan: Poktan, query: str) -> QuerySet[Person]:
    """Living residents of the poktan's village, not already current members, found by name or
    NIK start."""
    village = ".".join(poktan.area_id.split(".")[:4])
    current = PoktanMember.objects.filter(
        poktan=poktan, person=OuterRef("pk"), left_on__isnull=True
    )
    qs = (
        scoped(user, Person.objects.all(), EDIT)
        .filter(subtree_q("family__area_id", [village]), is_active=True, died_on__isnull=True)
        .exclude(Exists(current))
    )
    query = query.strip()
    digits = query.replace(" ", "")
    if digits.isdigit() and len(digits) >= 4:
        qs = qs.filter(nik__startswith=digits)
    else:
        for word in query.split():
            qs = qs.filter(full_name__icontains=word)
    return qs.select_related("family__area__parent__parent").order_by("full_name", "pk")


# -- For other apps (Kampung KB classification, reports, partner pages) --------------------------


def activities_in(area_code: str, date_from: dt.date, date_to: dt.date) -> QuerySet[Activity]:
    """Every activity held in the area's subtree between the two dates (inclusive), unscoped: for
    the system's own reckoning (classification, reports) after the caller checked its user.
    Planned and cancelled activities are left out."""
    return Activity.objects.held().filter(
        subtree_q("area_id", [area_code]), held_on__gte=date_from, held_on__lte=date_to
    )

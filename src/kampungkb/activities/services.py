"""Writes of the activities app: activities, who attended, what attendees and partners brought,
photos, poktan and their members. One function per write, each in one transaction with an audit
event; the actor's scope (``Capability.EDIT_PROGRAMME``) is checked here so that pages, the API and
imports get the same rules. ``actor=None`` is the system itself (commands, the demo seed). A refused
write raises a ``ValidationError`` (an ``ActivityProblem``) before anything is written, or rolls
the whole transaction back."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from kampungkb.accounts.models import Role
from kampungkb.accounts.scope import Capability, ensure_can, scope_for, scoped
from kampungkb.activities import selectors
from kampungkb.activities.errors import ActivityProblem
from kampungkb.activities.models import (
    Activity,
    ActivityKind,
    ActivityPartner,
    ActivityPhoto,
    ActivityStatus,
    AgeGroup,
    Attendance,
    AttendanceCount,
    Contribution,
    ContributionKind,
    FamilyFunction,
    PartnerContribution,
    PartnerContributionKind,
    Poktan,
    PoktanMember,
    TargetGroup,
)
from kampungkb.core.audit import audit_record, snapshot
from kampungkb.families.models import Person, Sex
from kampungkb.partners.models import Partner
from kampungkb.regions.models import Area, Level

EDIT = Capability.EDIT_PROGRAMME
EARLIEST_DATE = dt.date(2000, 1, 1)
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
OFFICER_ROLES = (Role.ADMIN, Role.DISTRICT_OFFICER, Role.PKB_OFFICER)
SEXES = (Sex.MALE.value, Sex.FEMALE.value)


@dataclass(frozen=True)
class ActivityData:
    """What a form, the API or an import says about an activity. A poktan session may leave the
    area out: it is then the poktan's."""

    kind: str
    title: str
    held_on: dt.date
    family_function: str
    organiser: str
    area: Area | None = None
    place: str = ""
    target_groups: Sequence[str] = ()
    poktan: Poktan | None = None
    funding_source: str = ""
    funding_amount: int = 0
    notes: str = ""


@dataclass(frozen=True)
class PartnerContributionData:
    kind: str
    value: int
    description: str = ""


@dataclass(frozen=True)
class AttendanceChange:
    added: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)


def _gone(before: dict[str, Any]) -> dict[str, Any]:
    """The "after" of a deleted row: every value gone, so that the audit event keeps them all
    as they were."""
    return dict.fromkeys(before)


def _today() -> dt.date:
    return timezone.localdate()


def _village_code(code: str) -> str:
    """The village of an area at village level or below (``PP.KK.CC.XDDD``)."""
    return ".".join(code.split(".")[:4])


def _within(code: str, root: str) -> bool:
    return code == root or code.startswith(root + ".")


def _check_date(on: dt.date, field_name: str) -> None:
    if on > _today():
        raise ActivityProblem.DATE_IN_FUTURE.on(field_name)
    if on < EARLIEST_DATE:
        raise ActivityProblem.DATE_TOO_EARLY.on(field_name)


def _check_area(actor: Any, area: Area, *, level: int, problem: ActivityProblem) -> None:
    if area.level < level:
        raise problem.on("area")
    if actor is not None and not scope_for(actor).can(EDIT, area.code):
        raise ActivityProblem.AREA_NOT_FOUND.on("area", code=area.code)


def _clean_target_groups(values: Iterable[str]) -> list[str]:
    wanted = set(values)
    known = {g.value for g in TargetGroup}
    for value in sorted(wanted - known):
        raise ActivityProblem.TARGET_GROUP_UNKNOWN.on("target_groups", value=value)
    # Kept in the order of the choices, so that equal sets are stored equal.
    return [g.value for g in TargetGroup if g.value in wanted]


def _resolve_area(data: ActivityData) -> Area:
    if data.area is not None:
        return data.area
    if data.poktan is not None:
        return data.poktan.area
    raise ActivityProblem.AREA_REQUIRED.on("area")


def _check_poktan(actor: Any, data: ActivityData, area: Area, *, changed: bool) -> None:
    poktan = data.poktan
    if data.kind == ActivityKind.POKTAN_SESSION and poktan is None:
        raise ActivityProblem.POKTAN_REQUIRED.on("poktan")
    if data.kind != ActivityKind.POKTAN_SESSION and poktan is not None:
        raise ActivityProblem.POKTAN_ONLY_FOR_SESSIONS.on("poktan")
    if poktan is None:
        return
    ensure_can(actor, EDIT, poktan.area_id)
    if changed and not poktan.is_active:
        raise ActivityProblem.POKTAN_INACTIVE.on("poktan", name=poktan.name)
    if not _within(area.code, _village_code(poktan.area_id)):
        raise ActivityProblem.POKTAN_OTHER_VILLAGE.on("poktan", name=poktan.name)


def _check_plan_date(activity: Activity, on: dt.date) -> None:
    """A plan is for today or later; a plan whose date has passed keeps it while other fields
    change (it is then held, moved or cancelled)."""
    if activity.pk is not None and on == activity.held_on:
        return
    if on < _today():
        raise ActivityProblem.PLAN_DATE_IN_PAST.on("held_on")


def _ensure_held(activity: Activity) -> None:
    """Attendance, contributions and photos belong to an activity that happened."""
    if activity.status != ActivityStatus.HELD:
        raise ActivityProblem.NOT_HELD.error()


def _fill(activity: Activity, data: ActivityData, area: Area, actor: Any) -> None:
    if activity.status == ActivityStatus.PLANNED:
        _check_plan_date(activity, data.held_on)
    else:
        _check_date(data.held_on, "held_on")
    _check_area(actor, area, level=Level.DISTRICT, problem=ActivityProblem.AREA_LEVEL)
    _check_poktan(actor, data, area, changed=data.poktan != activity.poktan)
    if data.funding_amount and not data.funding_source:
        raise ActivityProblem.FUNDING_WITHOUT_SOURCE.on("funding_source")
    activity.kind = data.kind
    activity.title = data.title.strip()
    activity.held_on = data.held_on
    activity.area = area
    activity.place = data.place.strip()
    activity.family_function = data.family_function
    activity.target_groups = _clean_target_groups(data.target_groups)
    activity.organiser = data.organiser.strip()
    activity.poktan = data.poktan
    activity.funding_source = data.funding_source
    activity.funding_amount = data.funding_amount
    activity.notes = data.notes.strip()
    activity.full_clean(validate_constraints=False)


def _sync_partners(activity: Activity, partners: Sequence[Partner], actor: Any) -> None:
    """The partners involved are exactly ``partners``: new ones are added without contributions,
    those left out are removed with theirs; the others keep their role and contributions."""
    wanted = {p.pk: p for p in partners}
    links = {link.partner_id: link for link in activity.partner_links.all()}
    for partner_id, partner in wanted.items():
        if partner_id not in links:
            _check_partner(actor, partner)
    for partner_id, link in links.items():
        if partner_id not in wanted:
            link.delete()
    for partner_id, partner in wanted.items():
        if partner_id not in links:
            ActivityPartner.objects.create(activity=activity, partner=partner)


@transaction.atomic
def activity_create(
    *, data: ActivityData, actor: Any, partners: Sequence[Partner] | None = None
) -> Activity:
    area = _resolve_area(data)
    activity = Activity(recorded_by=actor if getattr(actor, "pk", None) else None)
    _fill(activity, data, area, actor)
    activity.save()
    if partners:
        _sync_partners(activity, partners, actor)
    audit_record(actor=actor, action="activity.create", instance=activity, area_code=area.code)
    return activity


@transaction.atomic
def activity_update(
    *, activity: Activity, data: ActivityData, actor: Any, partners: Sequence[Partner] | None = None
) -> Activity:
    """Change an activity; ``partners=None`` leaves the partners involved as they are. A planned
    activity stays planned (its date today or later); a cancelled one is not changed."""
    ensure_can(actor, EDIT, activity.area_id)
    if activity.status == ActivityStatus.CANCELLED:
        raise ActivityProblem.CANCELLED.error()
    before = snapshot(activity)
    _fill(activity, data, _resolve_area(data), actor)
    activity.save()
    if partners is not None:
        _sync_partners(activity, partners, actor)
    audit_record(
        actor=actor,
        action="activity.update",
        instance=activity,
        area_code=activity.area_id,
        before=before,
    )
    return activity


def _is_officer(actor: Any, code: str) -> bool:
    if actor is None or actor.is_superuser:
        return True
    areas = actor.assignments.filter(role__in=OFFICER_ROLES).values_list("area_id", flat=True)
    return any(area is None or _within(code, area) for area in areas)


@transaction.atomic
def activity_delete(*, activity: Activity, actor: Any) -> None:
    """Delete an activity with its attendance, contributions, partners and photos. Only an
    officer of the area or whoever recorded it may."""
    ensure_can(actor, EDIT, activity.area_id)
    recorder = actor is not None and activity.recorded_by_id == actor.pk
    if not recorder and not _is_officer(actor, activity.area_id):
        raise ActivityProblem.NOT_ALLOWED_TO_DELETE.error()
    audit_record(
        actor=actor,
        action="activity.delete",
        instance=activity,
        area_code=activity.area_id,
        before=(before := snapshot(activity)),
        after=_gone(before),
    )
    files = [str(photo.image.name) for photo in activity.photos.all()]
    activity.delete()
    _delete_files_on_commit(files)


# -- Plans ----------------------------------------------------------------------------------------

PLAN_REASON_MAX = 64
# A plan made in one click is for two weeks ahead.
PLAN_DAYS_AHEAD = 14
CANCEL_REASON_MAX = 255
# The family function a planned activity serves when the caller names none.
KIND_FUNCTIONS: dict[str, str] = {
    ActivityKind.COUNSELLING: FamilyFunction.REPRODUCTION,
    ActivityKind.SERVICE_DAY: FamilyFunction.REPRODUCTION,
    ActivityKind.POKTAN_SESSION: FamilyFunction.EDUCATION,
    ActivityKind.TRAINING: FamilyFunction.EDUCATION,
    ActivityKind.MENS_FORUM: FamilyFunction.REPRODUCTION,
    ActivityKind.PLANNING_MEETING: FamilyFunction.SOCIO_CULTURAL,
    ActivityKind.COORDINATION_MEETING: FamilyFunction.SOCIO_CULTURAL,
    ActivityKind.SOCIALISATION: FamilyFunction.EDUCATION,
    ActivityKind.MONITORING: FamilyFunction.SOCIO_CULTURAL,
    ActivityKind.REPORTING: FamilyFunction.SOCIO_CULTURAL,
    ActivityKind.CADRE_MEETING: FamilyFunction.EDUCATION,
}


def default_family_function(kind: str, poktan: Poktan | None = None) -> str:
    if poktan is not None:
        return POKTAN_FUNCTIONS.get(poktan.kind, FamilyFunction.EDUCATION)
    return KIND_FUNCTIONS.get(kind, FamilyFunction.EDUCATION)


@transaction.atomic
def activity_plan(
    *,
    user: Any,
    area: Area | None,
    kind: str,
    title: str,
    held_on: dt.date,
    target_groups: Sequence[str],
    organiser: str,
    notes: str = "",
    family_function: str = "",
    plan_reason: str = "",
    place: str = "",
    poktan: Poktan | None = None,
    funding_source: str = "",
    funding_amount: int = 0,
    partners: Sequence[Partner] | None = None,
) -> Activity:
    """Plan an activity for ``held_on`` (today or later): the cadres hold it later and it counts
    only then. ``plan_reason`` is the caller's code of why it was planned
    (``barrier:husband_objects``); ``family_function`` left empty follows the kind."""
    plan_reason = plan_reason.strip()
    if len(plan_reason) > PLAN_REASON_MAX:
        raise ActivityProblem.PLAN_REASON_TOO_LONG.on("plan_reason")
    data = ActivityData(
        kind=kind,
        title=title,
        held_on=held_on,
        family_function=family_function or default_family_function(kind, poktan),
        organiser=organiser,
        area=area,
        place=place,
        target_groups=target_groups,
        poktan=poktan,
        funding_source=funding_source,
        funding_amount=funding_amount,
        notes=notes,
    )
    resolved = _resolve_area(data)
    activity = Activity(
        status=ActivityStatus.PLANNED,
        plan_reason=plan_reason,
        recorded_by=user if getattr(user, "pk", None) else None,
    )
    _fill(activity, data, resolved, user)
    activity.save()
    if partners:
        _sync_partners(activity, partners, user)
    audit_record(actor=user, action="activity.plan", instance=activity, area_code=resolved.code)
    return activity


def activity_data_of(activity: Activity, **changes: Any) -> ActivityData:
    """The activity as it is, as ``ActivityData`` (with ``changes``)."""
    values: dict[str, Any] = {
        "kind": activity.kind,
        "title": activity.title,
        "held_on": activity.held_on,
        "family_function": activity.family_function,
        "organiser": activity.organiser,
        "area": activity.area,
        "place": activity.place,
        "target_groups": list(activity.target_groups),
        "poktan": activity.poktan,
        "funding_source": activity.funding_source,
        "funding_amount": activity.funding_amount,
        "notes": activity.notes,
    }
    values.update(changes)
    return ActivityData(**values)


def _lock(activity: Activity) -> Activity:
    """The activity read again under a row lock, so that two clicks cannot both change it."""
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    activity.status = locked.status
    return activity


@transaction.atomic
def activity_hold(
    *,
    user: Any,
    activity: Activity,
    held_on: dt.date,
    data: ActivityData | None = None,
    partners: Sequence[Partner] | None = None,
) -> Activity:
    """Mark a planned activity as held on ``held_on`` (today or earlier), changing its fields
    as the edit does when ``data`` is given (its date is ``held_on``). Attendance, counts,
    contributions and photos may then be recorded."""
    ensure_can(user, EDIT, activity.area_id)
    _lock(activity)
    if activity.status != ActivityStatus.PLANNED:
        raise ActivityProblem.NOT_PLANNED.error()
    before = snapshot(activity)
    data = replace(data or activity_data_of(activity), held_on=held_on)
    activity.status = ActivityStatus.HELD
    _fill(activity, data, _resolve_area(data), user)
    activity.save()
    if partners is not None:
        _sync_partners(activity, partners, user)
    audit_record(
        actor=user,
        action="activity.hold",
        instance=activity,
        area_code=activity.area_id,
        before=before,
    )
    return activity


@transaction.atomic
def activity_cancel(*, user: Any, activity: Activity, reason: str) -> Activity:
    """Cancel a planned activity; it is kept with the reason and never counts."""
    ensure_can(user, EDIT, activity.area_id)
    _lock(activity)
    if activity.status != ActivityStatus.PLANNED:
        raise ActivityProblem.NOT_PLANNED.error()
    reason = reason.strip()
    if not reason:
        raise ActivityProblem.CANCEL_REASON_REQUIRED.on("reason")
    before = snapshot(activity)
    activity.status = ActivityStatus.CANCELLED
    activity.cancel_reason = reason[:CANCEL_REASON_MAX]
    activity.save(update_fields=["status", "cancel_reason", "updated_at"])
    audit_record(
        actor=user,
        action="activity.cancel",
        instance=activity,
        area_code=activity.area_id,
        before=before,
    )
    return activity


# -- Attendance -----------------------------------------------------------------------------------


def _persons_for(actor: Any, ids: set[int]) -> dict[int, Person]:
    """The persons ``ids`` that the actor may record, all of them living and on the register."""
    qs = Person.objects.filter(pk__in=ids).select_related("family")
    if actor is not None:
        qs = scoped(actor, qs, EDIT)
    found = {p.pk: p for p in qs}
    missing = sorted(ids - found.keys())
    if missing:
        raise ActivityProblem.PERSON_NOT_FOUND.on("persons", ids=", ".join(str(i) for i in missing))
    for person in found.values():
        if person.died_on is not None or not person.is_active or not person.family.is_active:
            raise ActivityProblem.PERSON_NOT_LIVING.on("persons", name=person.full_name)
    return found


@transaction.atomic
def attendance_set(
    *, activity: Activity, add: Iterable[int] = (), remove: Iterable[int] = (), actor: Any
) -> AttendanceChange:
    """Mark persons (by id) present and others not present, in one call. Marking a person who is
    already marked, or unmarking one who is not, changes nothing (safe to send again). Only the
    persons added must be living and in the actor's areas: a person who died since may still be
    taken off the list."""
    ensure_can(actor, EDIT, activity.area_id)
    _ensure_held(activity)
    add_ids, remove_ids = {int(i) for i in add}, {int(i) for i in remove}
    remove_ids -= add_ids
    present = set(activity.attendances.values_list("person_id", flat=True))
    to_add = sorted(add_ids - present)
    to_remove = sorted(remove_ids & present)
    persons = _persons_for(actor, set(to_add))
    if to_remove:
        activity.attendances.filter(person_id__in=to_remove).delete()
    Attendance.objects.bulk_create(
        [Attendance(activity=activity, person=persons[i]) for i in to_add]
    )
    change = AttendanceChange(added=to_add, removed=to_remove)
    if to_add or to_remove:
        audit_record(
            actor=actor,
            action="activity.attendance",
            instance=activity,
            area_code=activity.area_id,
            after={"added": to_add, "removed": to_remove},
        )
    return change


def _count_key(sex: str, age_group: str) -> str:
    return f"{sex}:{age_group}"


@transaction.atomic
def attendance_counts_set(
    *, activity: Activity, counts: Mapping[tuple[str, str], int], actor: Any
) -> dict[tuple[str, str], int]:
    """Replace the counted (not named) attendees: ``{(sex, age group): count}``. Groups left out
    or counted 0 hold nobody."""
    ensure_can(actor, EDIT, activity.area_id)
    _ensure_held(activity)
    ages = {a.value for a in AgeGroup}
    wanted: dict[tuple[str, str], int] = {}
    for (sex, age_group), count in counts.items():
        if sex not in SEXES or age_group not in ages:
            raise ActivityProblem.COUNT_GROUP_UNKNOWN.on("counts", sex=sex, age_group=age_group)
        if count < 0:
            raise ActivityProblem.COUNT_NEGATIVE.on("counts")
        if count:
            wanted[(sex, age_group)] = int(count)
    stored = {(c.sex, c.age_group): c.count for c in activity.counts.all()}
    if stored == wanted:
        return wanted
    activity.counts.all().delete()
    AttendanceCount.objects.bulk_create(
        [
            AttendanceCount(activity=activity, sex=sex, age_group=age, count=n)
            for (sex, age), n in sorted(wanted.items())
        ]
    )
    audit_record(
        actor=actor,
        action="activity.counts",
        instance=activity,
        area_code=activity.area_id,
        before={_count_key(s, a): stored.get((s, a), 0) for s in SEXES for a in AgeGroup.values},
        after={_count_key(s, a): wanted.get((s, a), 0) for s in SEXES for a in AgeGroup.values},
    )
    return wanted


# -- Contributions of attendees -------------------------------------------------------------------


def _check_value(value: int | None, *, required: bool, field_name: str = "value") -> None:
    if value is None:
        if required:
            raise ActivityProblem.MONEY_NEEDS_VALUE.on(field_name)
        return
    if value <= 0:
        raise ActivityProblem.VALUE_NOT_POSITIVE.on(field_name)


@transaction.atomic
def contribution_add(
    *,
    activity: Activity,
    kind: str,
    person: Person | None = None,
    contributor: str = "",
    description: str = "",
    value: int | None = None,
    actor: Any,
) -> Contribution:
    """What an attendee brought: a named attendee, or someone described (``contributor``)."""
    ensure_can(actor, EDIT, activity.area_id)
    _ensure_held(activity)
    if kind not in ContributionKind.values:
        raise ActivityProblem.CONTRIBUTION_KIND_UNKNOWN.on("kind", value=kind)
    contributor = contributor.strip()
    if person is None and not contributor:
        raise ActivityProblem.CONTRIBUTOR_REQUIRED.on("contributor")
    if person is not None and not activity.attendances.filter(person=person).exists():
        raise ActivityProblem.CONTRIBUTOR_NOT_ATTENDEE.on("person", name=person.full_name)
    _check_value(value, required=kind == ContributionKind.MONEY)
    contribution = Contribution(
        activity=activity,
        person=person,
        contributor="" if person is not None else contributor,
        kind=kind,
        description=description.strip(),
        value=value,
    )
    contribution.full_clean(validate_constraints=False)
    contribution.save()
    audit_record(
        actor=actor,
        action="activity.contribution_add",
        instance=contribution,
        area_code=activity.area_id,
    )
    return contribution


@transaction.atomic
def contribution_remove(*, contribution: Contribution, actor: Any) -> None:
    activity = contribution.activity
    ensure_can(actor, EDIT, activity.area_id)
    audit_record(
        actor=actor,
        action="activity.contribution_remove",
        instance=contribution,
        area_code=activity.area_id,
        before=(before := snapshot(contribution)),
        after=_gone(before),
    )
    contribution.delete()


# -- Partners -------------------------------------------------------------------------------------


def _check_partner(actor: Any, partner: Partner) -> None:
    visible = selectors.partner_choices(user=actor, include_inactive=True)
    if not visible.filter(pk=partner.pk).exists():
        raise ActivityProblem.PARTNER_NOT_FOUND.on("partner")
    if not partner.is_active:
        raise ActivityProblem.PARTNER_INACTIVE.on("partner", name=partner.name)


@transaction.atomic
def activity_partner_set(
    *,
    activity: Activity,
    partner: Partner,
    role: str = "",
    contributions: Sequence[PartnerContributionData] = (),
    actor: Any,
) -> ActivityPartner:
    """Name a partner as involved in the activity, with its role and what it brought (replacing
    what was recorded for it before). The partner must be active and work in the actor's areas.
    A planned activity may name its partners; what they brought is recorded once it is held."""
    ensure_can(actor, EDIT, activity.area_id)
    if activity.status == ActivityStatus.CANCELLED:
        raise ActivityProblem.CANCELLED.error()
    if contributions:
        _ensure_held(activity)
    link = activity.partner_links.filter(partner=partner).first()
    if link is None:
        _check_partner(actor, partner)
    kinds = set(PartnerContributionKind.values)
    for item in contributions:
        if item.kind not in kinds:
            raise ActivityProblem.CONTRIBUTION_KIND_UNKNOWN.on("contributions", value=item.kind)
        _check_value(item.value, required=True, field_name="contributions")
    before: dict[str, Any] = {}
    if link is None:
        link = ActivityPartner(activity=activity, partner=partner)
    else:
        before = {
            "role": link.role,
            "contributions": [
                [c.kind, c.value, c.description] for c in link.contributions.order_by("pk")
            ],
        }
    link.role = role.strip()
    link.full_clean(validate_constraints=False)
    link.save()
    link.contributions.all().delete()
    PartnerContribution.objects.bulk_create(
        [
            PartnerContribution(
                link=link, kind=c.kind, value=c.value, description=c.description.strip()
            )
            for c in contributions
        ]
    )
    after = {
        "partner": partner.pk,
        "role": link.role,
        "contributions": [[c.kind, c.value, c.description.strip()] for c in contributions],
    }
    audit_record(
        actor=actor,
        action="activity.partner_set",
        instance=activity,
        area_code=activity.area_id,
        before=before,
        after=after,
    )
    return link


@transaction.atomic
def activity_partner_remove(*, activity: Activity, partner: Partner, actor: Any) -> None:
    ensure_can(actor, EDIT, activity.area_id)
    deleted, _ = activity.partner_links.filter(partner=partner).delete()
    if deleted:
        audit_record(
            actor=actor,
            action="activity.partner_remove",
            instance=activity,
            area_code=activity.area_id,
            after={"partner": partner.pk},
        )


# -- Photos ---------------------------------------------------------------------------------------


def _image_extension(upload: UploadedFile) -> str:
    size = upload.size or 0
    if size > PHOTO_MAX_BYTES:
        raise ActivityProblem.PHOTO_TOO_LARGE.on(
            "image", size=f"{size / 1024 / 1024:.1f}", limit=PHOTO_MAX_BYTES // 1024 // 1024
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format or ""
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ActivityProblem.PHOTO_NOT_IMAGE.on("image") from exc
    finally:
        upload.seek(0)
    if image_format not in PHOTO_FORMATS:
        raise ActivityProblem.PHOTO_NOT_IMAGE.on("image")
    return PHOTO_FORMATS[image_format]


def _delete_files_on_commit(names: list[str]) -> None:
    storage = ActivityPhoto._meta.get_field("image").storage

    def delete() -> None:
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(delete)


def _photo_snapshot(photo: ActivityPhoto) -> dict[str, Any]:
    return {"activity_id": photo.activity_id, "image": photo.image.name, "caption": photo.caption}


@transaction.atomic
def photo_add(
    *, activity: Activity, image: UploadedFile, caption: str = "", actor: Any
) -> ActivityPhoto:
    """Attach a photo (JPEG, PNG or WebP, at most 5 MB). The file gets a random name: the name a
    phone gave it may carry a person's name."""
    ensure_can(actor, EDIT, activity.area_id)
    _ensure_held(activity)
    extension = _image_extension(image)
    photo = ActivityPhoto(activity=activity, caption=caption.strip())
    photo.image.save(f"{uuid.uuid4().hex}.{extension}", image, save=False)
    try:
        photo.full_clean(validate_constraints=False)
        photo.save()
    except (ValidationError, IntegrityError):
        photo.image.storage.delete(str(photo.image.name))
        raise
    audit_record(
        actor=actor,
        action="activity.photo_add",
        instance=photo,
        area_code=activity.area_id,
        after=_photo_snapshot(photo),
    )
    return photo


@transaction.atomic
def photo_remove(*, photo: ActivityPhoto, actor: Any) -> None:
    activity = photo.activity
    ensure_can(actor, EDIT, activity.area_id)
    audit_record(
        actor=actor,
        action="activity.photo_remove",
        instance=photo,
        area_code=activity.area_id,
        before=(before := _photo_snapshot(photo)),
        after=_gone(before),
    )
    name = str(photo.image.name)
    photo.delete()
    _delete_files_on_commit([name])


# -- Poktan ---------------------------------------------------------------------------------------


def _check_poktan_name(area: Area, name: str, *, exclude_pk: Any = None) -> None:
    if Poktan.objects.filter(area=area, name__iexact=name).exclude(pk=exclude_pk).exists():
        raise ActivityProblem.POKTAN_NAME_TAKEN.on("name", name=name)


@transaction.atomic
def poktan_create(
    *, kind: str, name: str, area: Area, established_on: dt.date | None = None, actor: Any
) -> Poktan:
    _check_area(actor, area, level=Level.VILLAGE, problem=ActivityProblem.POKTAN_AREA_LEVEL)
    if established_on is not None:
        _check_date(established_on, "established_on")
    name = name.strip()
    _check_poktan_name(area, name)
    poktan = Poktan(kind=kind, name=name, area=area, established_on=established_on)
    poktan.full_clean(validate_constraints=False)
    poktan.save()
    audit_record(actor=actor, action="poktan.create", instance=poktan, area_code=area.code)
    return poktan


@transaction.atomic
def poktan_update(
    *, poktan: Poktan, kind: str, name: str, established_on: dt.date | None = None, actor: Any
) -> Poktan:
    """Correct a poktan's type, name or founding date (its area stays: a group in another
    village is another group)."""
    ensure_can(actor, EDIT, poktan.area_id)
    if established_on is not None:
        _check_date(established_on, "established_on")
    name = name.strip()
    _check_poktan_name(poktan.area, name, exclude_pk=poktan.pk)
    before = snapshot(poktan)
    poktan.kind = kind
    poktan.name = name
    poktan.established_on = established_on
    poktan.full_clean(validate_constraints=False)
    poktan.save()
    audit_record(
        actor=actor,
        action="poktan.update",
        instance=poktan,
        area_code=poktan.area_id,
        before=before,
    )
    return poktan


@transaction.atomic
def poktan_deactivate(*, poktan: Poktan, actor: Any) -> Poktan:
    """The group no longer meets. It is kept with its members and sessions."""
    ensure_can(actor, EDIT, poktan.area_id)
    if not poktan.is_active:
        return poktan
    before = snapshot(poktan)
    poktan.is_active = False
    poktan.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=actor,
        action="poktan.deactivate",
        instance=poktan,
        area_code=poktan.area_id,
        before=before,
    )
    return poktan


@transaction.atomic
def poktan_member_add(
    *, poktan: Poktan, person: Person, joined_on: dt.date, actor: Any
) -> PoktanMember:
    """A person of the poktan's village joins it; one open membership per person."""
    ensure_can(actor, EDIT, poktan.area_id)
    if not poktan.is_active:
        raise ActivityProblem.POKTAN_INACTIVE.on("poktan", name=poktan.name)
    person = _persons_for(actor, {person.pk})[person.pk]
    if not _within(person.family.area_id, _village_code(poktan.area_id)):
        raise ActivityProblem.MEMBER_OTHER_VILLAGE.on("person", name=person.full_name)
    if joined_on > _today():
        raise ActivityProblem.EVENT_DATE_IN_FUTURE.on("joined_on")
    if poktan.members.filter(person=person, left_on__isnull=True).exists():
        raise ActivityProblem.ALREADY_MEMBER.on("person", name=person.full_name)
    member = PoktanMember(poktan=poktan, person=person, joined_on=joined_on)
    member.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:  # a concurrent add of the same person
        raise ActivityProblem.ALREADY_MEMBER.on("person", name=person.full_name) from exc
    audit_record(actor=actor, action="poktan.member_add", instance=member, area_code=poktan.area_id)
    return member


@transaction.atomic
def poktan_member_end(*, member: PoktanMember, left_on: dt.date, actor: Any) -> PoktanMember:
    poktan = member.poktan
    ensure_can(actor, EDIT, poktan.area_id)
    if member.left_on is not None:
        raise ActivityProblem.MEMBERSHIP_ENDED.error()
    if left_on > _today():
        raise ActivityProblem.EVENT_DATE_IN_FUTURE.on("left_on")
    if left_on < member.joined_on:
        raise ActivityProblem.LEFT_BEFORE_JOINED.on(
            "left_on", joined=member.joined_on.strftime("%d-%m-%Y")
        )
    before = snapshot(member)
    member.left_on = left_on
    member.save(update_fields=["left_on", "updated_at"])
    audit_record(
        actor=actor,
        action="poktan.member_end",
        instance=member,
        area_code=poktan.area_id,
        before=before,
    )
    return member


def poktan_session_data(poktan: Poktan, *, held_on: dt.date, **fields: Any) -> ActivityData:
    """The data of a poktan's (monthly) session: in the poktan's area unless told otherwise,
    serving the family function of its kind."""
    fields.setdefault("title", "")
    if not fields["title"]:
        fields["title"] = f"{poktan.name} {held_on:%m/%Y}"
    fields.setdefault("family_function", POKTAN_FUNCTIONS.get(poktan.kind, "education"))
    fields.setdefault("organiser", poktan.name)
    return ActivityData(kind=ActivityKind.POKTAN_SESSION, poktan=poktan, held_on=held_on, **fields)


# The family function a poktan's sessions serve by default (the form lets the user change it).
POKTAN_FUNCTIONS = {
    "bkb": "education",
    "bkr": "education",
    "bkl": "protection",
    "uppka": "economy",
    "pikr": "reproduction",
}

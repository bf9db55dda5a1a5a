"""Programme activities (any event of the programme), who attended, what they brought, and the
community groups (poktan) with their members.

An activity happens in one area (a village or a part of it). Attendance is either named persons
from the register or counts by sex and age group when names are not taken (or both: named persons
and an uncounted crowd). Partners involved are named with what they contributed, valued in Rupiah.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kampungkb.core.models import TimeStampedModel


class ActivityKind(models.TextChoices):
    COUNSELLING = "counselling", _("Counselling (penyuluhan)")
    SERVICE_DAY = "service_day", _("Contraceptive service day")
    POKTAN_SESSION = "poktan_session", _("Poktan session")
    TRAINING = "training", _("Training")
    MENS_FORUM = "mens_forum", _("Men's forum")
    PLANNING_MEETING = "planning_meeting", _("Planning meeting")
    COORDINATION_MEETING = "coordination_meeting", _("Coordination meeting")
    SOCIALISATION = "socialisation", _("Socialisation")
    MONITORING = "monitoring", _("Monitoring")
    REPORTING = "reporting", _("Reporting")
    CADRE_MEETING = "cadre_meeting", _("Cadre meeting")


# The Kampung KB management activities (DOMAIN.md section 7, process index).
MANAGEMENT_KINDS: frozenset[str] = frozenset(
    {
        ActivityKind.PLANNING_MEETING,
        ActivityKind.COORDINATION_MEETING,
        ActivityKind.SOCIALISATION,
        ActivityKind.MONITORING,
        ActivityKind.REPORTING,
    }
)


class FamilyFunction(models.TextChoices):
    """The 8 family functions (delapan fungsi keluarga) an activity serves."""

    RELIGION = "religion", _("Religion")
    SOCIO_CULTURAL = "socio_cultural", _("Socio-cultural")
    LOVE = "love", _("Love")
    PROTECTION = "protection", _("Protection")
    REPRODUCTION = "reproduction", _("Reproduction")
    EDUCATION = "education", _("Education")
    ECONOMY = "economy", _("Economy")
    ENVIRONMENT = "environment", _("Environment")


class TargetGroup(models.TextChoices):
    PUS = "pus", _("Couples of reproductive age (PUS)")
    MEN = "men", _("Men")
    WOMEN = "women", _("Women")
    TEENAGERS = "teenagers", _("Teenagers")
    FAMILIES_WITH_TODDLERS = "families_with_toddlers", _("Families with toddlers")
    FAMILIES_WITH_TEENAGERS = "families_with_teenagers", _("Families with teenagers")
    FAMILIES_WITH_ELDERLY = "families_with_elderly", _("Families with elderly")
    PREGNANT_WOMEN = "pregnant_women", _("Pregnant women")
    BRIDES_TO_BE = "brides_to_be", _("Brides- and grooms-to-be")
    CADRES = "cadres", _("Cadres")
    COMMUNITY_LEADERS = "community_leaders", _("Community and religious leaders")
    GENERAL_PUBLIC = "general_public", _("General public")


class FundingSource(models.TextChoices):
    """The funding sources the Kampung KB classification counts (DOMAIN.md section 7)."""

    APBN = "apbn", _("State budget (APBN)")
    APBD = "apbd", _("Regional budget (APBD)")
    DANA_DESA = "dana_desa", _("Village fund (Dana Desa)")
    GRANT = "grant", _("Grant")
    CSR = "csr", _("Corporate social responsibility (CSR)")
    SELF_FUNDED = "self_funded", _("Self-funded (swadaya)")


class PoktanKind(models.TextChoices):
    BKB = "bkb", _("BKB (families with toddlers)")
    BKR = "bkr", _("BKR (families with teenagers)")
    BKL = "bkl", _("BKL (families with elderly)")
    UPPKA = "uppka", _("UPPKA (family economic group)")
    PIKR = "pikr", _("PIK-R (youth information centre)")


class Poktan(TimeStampedModel):
    """A community group (kelompok kegiatan) registered in a village or a part of it."""

    kind = models.CharField(_("type"), max_length=8, choices=PoktanKind.choices)
    name = models.CharField(_("name"), max_length=150)
    area = models.ForeignKey(
        "regions.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="poktan"
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    SCOPE_AREA_FIELD = "area_id"

    class Meta:
        verbose_name = _("poktan")
        verbose_name_plural = _("poktan")
        ordering = ["area_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="poktan_unique_name_in_area"),
        ]
        indexes = [
            models.Index(
                fields=["area"], name="poktan_area_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PoktanMember(TimeStampedModel):
    """A family member in a poktan from ``joined_on`` until ``left_on`` (open while a member)."""

    poktan = models.ForeignKey(
        Poktan, verbose_name=_("poktan"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        "families.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="poktan_memberships",
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("poktan member")
        verbose_name_plural = _("poktan members")
        constraints = [
            models.UniqueConstraint(
                fields=["poktan", "person"],
                condition=Q(left_on__isnull=True),
                name="poktan_member_one_open",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="poktan_member_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.poktan_id}"


class ActivityStatus(models.TextChoices):
    """A planned activity is yet to happen; a held one happened (the record the programme counts);
    a cancelled plan is kept with its reason (decision 0033)."""

    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


def held_q(prefix: str = "") -> Q:
    """Rows of held activities; ``prefix`` is the path to the activity (``"activity__"``)."""
    return Q(**{f"{prefix}status": ActivityStatus.HELD})


class ActivityQuerySet(models.QuerySet["Activity"]):
    def held(self) -> ActivityQuerySet:
        """The activities that happened: every count of activities done reads these only."""
        return self.filter(held_q())

    def planned(self) -> ActivityQuerySet:
        return self.filter(status=ActivityStatus.PLANNED)


class Activity(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=24, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    area = models.ForeignKey(
        "regions.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="activities"
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    family_function = models.CharField(
        _("family function"), max_length=16, choices=FamilyFunction.choices
    )
    # A list of TargetGroup values; JSON keeps it portable between SQLite and PostgreSQL.
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    organiser = models.CharField(_("organiser"), max_length=200)
    poktan = models.ForeignKey(
        Poktan,
        verbose_name=_("poktan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    partners = models.ManyToManyField(
        "partners.Partner",
        verbose_name=_("partners involved"),
        through="activities.ActivityPartner",
        blank=True,
        related_name="activities",
    )
    funding_source = models.CharField(
        _("funding source"), max_length=16, choices=FundingSource.choices, blank=True
    )
    funding_amount = models.PositiveBigIntegerField(_("funding amount (Rp)"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.HELD
    )
    # Why it was planned, a code set by the caller (``barrier:husband_objects``).
    plan_reason = models.CharField(_("reason for the plan"), max_length=64, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)

    objects = ActivityQuerySet.as_manager()

    SCOPE_AREA_FIELD = "area_id"

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(poktan__isnull=True) | Q(kind="poktan_session"),
                name="activity_poktan_only_for_sessions",
            ),
            models.CheckConstraint(
                condition=Q(status="cancelled") | Q(cancel_reason=""),
                name="activity_cancel_reason_only_when_cancelled",
            ),
        ]
        indexes = [
            models.Index(
                fields=["area", "held_on"],
                name="activity_area_prefix_idx",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            models.Index(fields=["held_on"], name="activity_held_on_idx"),
            models.Index(fields=["status", "held_on"], name="activity_status_held_on_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_held(self) -> bool:
        return self.status == ActivityStatus.HELD

    @property
    def is_planned(self) -> bool:
        return self.status == ActivityStatus.PLANNED

    @property
    def is_overdue(self) -> bool:
        """A plan whose date has passed without being marked held."""
        return self.is_planned and self.held_on < timezone.localdate()


class ActivityPartner(models.Model):
    """A partner involved in an activity (a joint activity)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="partner_links"
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="activity_links",
    )
    role = models.CharField(_("role"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("partner in an activity")
        verbose_name_plural = _("partners in activities")
        constraints = [
            models.UniqueConstraint(fields=["activity", "partner"], name="activity_partner_once"),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} in {self.activity_id}"


class PartnerContributionKind(models.TextChoices):
    MONEY = "money", _("Money")
    GOODS = "goods", _("Goods")
    TRAINERS_TIME = "trainers_time", _("Trainers' time")
    FACILITIES = "facilities", _("Facilities")


class PartnerContribution(models.Model):
    """What a partner brought to an activity, valued in Rupiah."""

    link = models.ForeignKey(
        ActivityPartner,
        verbose_name=_("partner in the activity"),
        on_delete=models.CASCADE,
        related_name="contributions",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PartnerContributionKind.choices)
    description = models.CharField(_("description"), max_length=255, blank=True)
    value = models.PositiveBigIntegerField(_("value (Rp)"))

    class Meta:
        verbose_name = _("partner contribution")
        verbose_name_plural = _("partner contributions")

    def __str__(self) -> str:
        return f"{self.kind} Rp {self.value}"


class ActivityPhoto(TimeStampedModel):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to="activities/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or str(self.image.name)


class Attendance(models.Model):
    """A named person from the register who attended."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        "families.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.activity_id}"


class AgeGroup(models.TextChoices):
    CHILD = "0-14", _("0-14 years")
    YOUTH = "15-24", _("15-24 years")
    ADULT = "25-49", _("25-49 years")
    OLDER = "50+", _("50 years and over")


class AttendanceCount(models.Model):
    """Attendees counted, not named: how many of one sex and age group."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="counts"
    )
    sex = models.CharField(_("sex"), max_length=1, choices=[("M", _("Male")), ("F", _("Female"))])
    age_group = models.CharField(_("age group"), max_length=5, choices=AgeGroup.choices)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("attendance count")
        verbose_name_plural = _("attendance counts")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "sex", "age_group"], name="attendance_count_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sex} {self.age_group}: {self.count}"


class ContributionKind(models.TextChoices):
    """What residents bring to a programme activity (DOMAIN.md section 6, contribution)."""

    TIME = "time", _("Time")
    LABOUR = "labour", _("Labour")
    MONEY = "money", _("Money")
    GOODS = "goods", _("Goods")
    IDEAS = "ideas", _("Ideas")


class Contribution(models.Model):
    """What an attendee (named, or described when not) brought to an activity."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="contributions"
    )
    person = models.ForeignKey(
        "families.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    contributor = models.CharField(_("contributor (when not named)"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=ContributionKind.choices)
    description = models.CharField(_("description"), max_length=255, blank=True)
    value = models.PositiveBigIntegerField(_("value (Rp)"), null=True, blank=True)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(contributor=""),
                name="contribution_has_contributor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} at {self.activity_id}"

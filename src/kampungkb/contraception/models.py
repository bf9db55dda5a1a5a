"""Contraceptive services: the method catalogue (data, editable), facilities (faskes KB), service
visits, and the episodes of use that the visits make (derived by ``engine.build_episodes``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kampungkb.contraception import engine
from kampungkb.core.models import TimeStampedModel


class Unit(models.TextChoices):
    PROCEDURE = "procedure", _("procedure")
    INSERTION = "insertion", _("insertion")
    DOSE = "dose", _("dose")
    CYCLE = "cycle", _("cycle")
    PIECE = "piece", _("piece")
    USER = "user", _("user")


# Units counted once, when the method starts; the others count every quantity given.
ONCE_PER_EPISODE_UNITS = (Unit.PROCEDURE, Unit.INSERTION, Unit.USER)


class DueRule(models.TextChoices):
    PER_UNIT = engine.DueRule.PER_UNIT.value, _("each unit covers a number of days")
    CHECKS = engine.DueRule.CHECKS.value, _("check after a first interval, then regularly")
    FIXED = engine.DueRule.FIXED.value, _("due at the end of protection")
    POSTPARTUM = engine.DueRule.POSTPARTUM.value, _("until six months after the birth")
    NONE = engine.DueRule.NONE.value, _("nothing falls due")


class Method(models.Model):
    code = models.CharField(_("code"), max_length=10, primary_key=True)
    name = models.CharField(_("name (Bahasa Indonesia)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    is_modern = models.BooleanField(_("modern"))
    is_long_acting = models.BooleanField(_("long-acting (MKJP)"))
    is_male = models.BooleanField(_("for men"))
    due_rule = models.CharField(
        _("when the next visit falls due"), max_length=12, choices=DueRule.choices
    )
    days_per_unit = models.PositiveIntegerField(_("days covered per unit"), default=0)
    first_check_days = models.PositiveIntegerField(_("days to the first check"), default=0)
    check_interval_days = models.PositiveIntegerField(_("days between checks"), default=0)
    protection_days = models.PositiveIntegerField(_("protection (days)"), null=True, blank=True)
    grace_days = models.PositiveIntegerField(_("grace period (days)"), default=0)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    cyp_per_unit = models.DecimalField(_("CYP per unit"), max_digits=8, decimal_places=5)
    requires_consent = models.BooleanField(_("informed consent required"))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    SCOPE_AREA_FIELD = None
    HOLDS_PERSONAL_DATA = False

    class Meta:
        verbose_name = _("contraceptive method")
        verbose_name_plural = _("contraceptive methods")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(due_rule=DueRule.PER_UNIT) | Q(days_per_unit__gt=0),
                name="method_per_unit_has_days",
            ),
            models.CheckConstraint(
                condition=~Q(due_rule__in=[DueRule.FIXED, DueRule.CHECKS])
                | Q(protection_days__gt=0),
                name="method_fixed_has_protection",
            ),
            models.CheckConstraint(
                condition=Q(cyp_per_unit__gte=0), name="method_cyp_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def counts_once_per_episode(self) -> bool:
        return self.unit in ONCE_PER_EPISODE_UNITS

    def rule(self) -> engine.MethodRule:
        return engine.MethodRule(
            code=self.code,
            due_rule=engine.DueRule(self.due_rule),
            days_per_unit=self.days_per_unit,
            first_check_days=self.first_check_days,
            check_interval_days=self.check_interval_days,
            protection_days=self.protection_days,
            grace_days=self.grace_days,
        )


class FacilityKind(models.TextChoices):
    HOSPITAL = "hospital", _("Hospital")
    PUSKESMAS = "puskesmas", _("Community health centre (puskesmas)")
    CLINIC = "clinic", _("Clinic")
    PRIVATE_MIDWIFE = "private_midwife", _("Private midwife")
    PRIVATE_DOCTOR = "private_doctor", _("Private doctor")
    MOBILE = "mobile", _("Mobile service")


class Ownership(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    MILITARY_POLICE = "military_police", _("Military/police")
    PRIVATE = "private", _("Private")
    COMMUNITY = "community", _("Community/NGO")


class Facility(TimeStampedModel):
    code = models.CharField(_("facility code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("type"), max_length=20, choices=FacilityKind.choices)
    ownership = models.CharField(_("ownership"), max_length=20, choices=Ownership.choices)
    has_jkn_contract = models.BooleanField(_("JKN/BPJS contract"), default=False)
    area = models.ForeignKey(
        "regions.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="facilities"
    )
    is_active = models.BooleanField(_("active"), default=True)

    SCOPE_AREA_FIELD = "area_id"
    HOLDS_PERSONAL_DATA = False
    # Cadres refer people to the puskesmas and hospitals of their kabupaten/kota (decision 0012).
    SCOPE_READS_WIDEN_TO_LEVEL = 2

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VisitKind(models.TextChoices):
    START = engine.VisitKind.START.value, _("Start of a method")
    REPEAT = engine.VisitKind.REPEAT.value, _("Repeat visit (re-injection, resupply, check)")
    SWITCH = engine.VisitKind.SWITCH.value, _("Switch of method")
    REMOVAL = engine.VisitKind.REMOVAL.value, _("Removal or stop")
    COMPLICATION = engine.VisitKind.COMPLICATION.value, _("Side effect or complication")
    FAILURE = engine.VisitKind.FAILURE.value, _("Method failure (pregnancy)")


class EndReason(models.TextChoices):
    SWITCH = engine.EndReason.SWITCH.value, _("Switched method")
    WANTS_CHILD = engine.EndReason.WANTS_CHILD.value, _("Stopped to have a child")
    SIDE_EFFECTS = engine.EndReason.SIDE_EFFECTS.value, _("Side effects")
    PREGNANCY = engine.EndReason.PREGNANCY.value, _("Pregnancy")
    REMOVAL = engine.EndReason.REMOVAL.value, _("Removed")
    MARRIAGE_ENDED = engine.EndReason.MARRIAGE_ENDED.value, _("Divorce or death")
    AGE = engine.EndReason.AGE.value, _("Wife past 49")
    DROP_OUT = engine.EndReason.DROP_OUT.value, _("Drop-out (over 3 months overdue)")


class ServiceVisit(TimeStampedModel):
    couple = models.ForeignKey(
        "families.Couple", verbose_name=_("couple"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("date"))
    facility = models.ForeignKey(
        Facility,
        verbose_name=_("facility"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    provider = models.CharField(_("provider"), max_length=100, blank=True)
    method = models.ForeignKey(
        Method, verbose_name=_("method"), on_delete=models.PROTECT, related_name="visits"
    )
    kind = models.CharField(_("kind of visit"), max_length=12, choices=VisitKind.choices)
    quantity = models.PositiveIntegerField(_("quantity given"), default=1)
    consent_recorded = models.BooleanField(_("informed consent recorded"), default=False)
    stop_reason = models.CharField(
        _("reason for stopping"), max_length=14, choices=EndReason.choices, blank=True
    )
    is_postpartum = models.BooleanField(_("post-partum (within 42 days of a birth)"), default=False)
    notes = models.CharField(_("notes"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Derived by the engine: the episode this visit belongs to and the due date it set.
    episode = models.ForeignKey(
        "contraception.Episode",
        verbose_name=_("episode of use"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    due_on = models.DateField(_("next visit due"), null=True, blank=True)

    SCOPE_AREA_FIELD = "couple__wife__family__area_id"
    HOLDS_PERSONAL_DATA = True

    class Meta:
        verbose_name = _("service visit")
        verbose_name_plural = _("service visits")
        ordering = ["visited_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="visit_quantity_positive"),
        ]
        indexes = [
            models.Index(fields=["couple", "visited_on"], name="visit_couple_date_idx"),
            # The latest visit of an episode on or before a day, read from the index alone
            # (indicators.fill_stock: the episodes in force in an incremental fill).
            models.Index(
                fields=["episode", "-visited_on", "-id"],
                include=["due_on"],
                name="visit_episode_day_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.method_id} {self.kind}"


class Episode(models.Model):
    """A stretch of use of one method by one couple. Derived from the visits and the register;
    rebuilt whenever either changes (``services.episodes_rebuild``)."""

    couple = models.ForeignKey(
        "families.Couple",
        verbose_name=_("couple"),
        on_delete=models.PROTECT,
        related_name="episodes",
    )
    method = models.ForeignKey(
        Method, verbose_name=_("method"), on_delete=models.PROTECT, related_name="episodes"
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=14, choices=EndReason.choices, blank=True
    )
    next_due_on = models.DateField(_("next visit due"), null=True, blank=True)
    overdue_from = models.DateField(_("overdue from"), null=True, blank=True)
    drop_out_on = models.DateField(_("counts as drop-out from"), null=True, blank=True)
    is_new_user = models.BooleanField(_("new user (PB)"))
    is_switch = models.BooleanField(_("switch of method"))
    is_postpartum = models.BooleanField(_("post-partum start (KBPP)"))

    SCOPE_AREA_FIELD = "couple__wife__family__area_id"
    HOLDS_PERSONAL_DATA = True

    class Meta:
        verbose_name = _("episode of use")
        verbose_name_plural = _("episodes of use")
        ordering = ["started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["couple"],
                condition=Q(ended_on__isnull=True),
                name="episode_one_open_per_couple",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="episode_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="")
                | Q(ended_on__isnull=False) & ~Q(end_reason=""),
                name="episode_end_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(is_new_user=True, is_switch=True), name="episode_switch_is_not_new"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_due_on"],
                condition=Q(ended_on__isnull=True),
                name="episode_open_due_idx",
            ),
            models.Index(
                fields=["drop_out_on"],
                condition=Q(ended_on__isnull=True),
                name="episode_open_dropout_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.couple_id} {self.method_id} {self.started_on}"


class FollowUpOutcome(models.TextChoices):
    VISITED = "visited", _("Visited")
    REFERRED = "referred", _("Referred to a facility")
    REFUSED = "refused", _("Refused")
    MOVED = "moved", _("Moved away")
    DIED = "died", _("Died")


class Barrier(models.TextChoices):
    SIDE_EFFECTS = "side_effects", _("Side effects")
    HUSBAND_OBJECTS = "husband_objects", _("Husband or family objects")
    RELIGIOUS_BELIEF = "religious_belief", _("Religious belief")
    MYTH_MANY_CHILDREN = (
        "myth_many_children",
        _("'Many children, many blessings' belief (banyak anak banyak rejeki)"),
    )
    WANTS_MORE_CHILDREN = "wants_more_children", _("Wants more children")
    ACCESS = "access", _("Distance or access")
    COST = "cost", _("Cost")
    NO_INFORMATION = "no_information", _("No information about family planning")
    OTHER = "other", _("Other")


class Verification(models.TextChoices):
    """A supervisor's check of a cadre's follow-up (decision 0028): only verified home visits
    earn an incentive."""

    PENDING = "pending", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class FollowUp(TimeStampedModel):
    """A cadre's follow-up of a couple due, overdue or dropped out, and what came of it."""

    couple = models.ForeignKey(
        "families.Couple",
        verbose_name=_("couple"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    episode = models.ForeignKey(
        Episode,
        verbose_name=_("episode of use"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    due_on = models.DateField(_("due date followed up"), null=True, blank=True)
    done_on = models.DateField(_("date of follow-up"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=FollowUpOutcome.choices)
    barrier = models.CharField(_("barrier"), max_length=20, choices=Barrier.choices, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verification = models.CharField(
        _("verification"), max_length=8, choices=Verification.choices, default=Verification.PENDING
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verification_note = models.CharField(_("reason for rejection"), max_length=200, blank=True)

    SCOPE_AREA_FIELD = "couple__wife__family__area_id"
    HOLDS_PERSONAL_DATA = True

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-done_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=FollowUpOutcome.REFUSED) & ~Q(barrier="")
                | ~Q(outcome=FollowUpOutcome.REFUSED),
                name="followup_refusal_has_barrier",
            ),
            models.CheckConstraint(
                condition=Q(verification="pending", verified_by__isnull=True)
                | ~Q(verification="pending") & Q(verified_at__isnull=False),
                name="followup_verification_signed",
            ),
            models.CheckConstraint(
                condition=~Q(verification="rejected") | ~Q(verification_note=""),
                name="followup_rejection_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["recorded_by", "done_on"], name="followup_recorder_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.couple_id} {self.done_on} {self.outcome}"


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Reminder(TimeStampedModel):
    """A message in the outbox: one per couple and due date, so running the reminder job twice
    sends nothing twice."""

    couple = models.ForeignKey(
        "families.Couple",
        verbose_name=_("couple"),
        on_delete=models.PROTECT,
        related_name="reminders",
    )
    due_on = models.DateField(_("due date"))
    method = models.ForeignKey(
        Method, verbose_name=_("method"), on_delete=models.PROTECT, related_name="+"
    )
    phone = models.CharField(_("phone"), max_length=20)
    message = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=8, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=255, blank=True)

    SCOPE_AREA_FIELD = "couple__wife__family__area_id"
    HOLDS_PERSONAL_DATA = True

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["couple", "due_on"], name="reminder_one_per_due_date"),
        ]

    def __str__(self) -> str:
        return f"{self.couple_id} {self.due_on} {self.status}"

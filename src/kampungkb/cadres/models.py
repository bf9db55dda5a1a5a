"""The cadre roster and what cadres know.

A cadre is a person from the register serving an area (a village, a dusun/RW or an RT) in one
role, from ``started_on`` until deactivated (never deleted). A person may hold several roles over
time: each is a row. Every January the roster is re-registered (the K/0 card): one
``CadreRegistration`` per cadre and year. TPK members (Tim Pendamping Keluarga: a midwife, a PKK
cadre and a KB cadre) are cadre rows of role ``tpk_member`` in a ``TpkTeam`` with their team role.

Knowledge is checked with tests before and after a training, from a question bank in Bahasa
Indonesia shipped with the product (data migration ``0002_question_bank``); the score is computed
from the answers, never typed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kampungkb.core.models import TimeStampedModel


class CadreRole(models.TextChoices):
    PPKBD = "ppkbd", _("PPKBD (village family-planning helper)")
    SUB_PPKBD = "sub_ppkbd", _("Sub-PPKBD (hamlet/RW)")
    KELOMPOK_KB = "kelompok_kb", _("Kelompok KB cadre (RT)")
    TPK_MEMBER = "tpk_member", _("TPK member (family-assistance team)")
    POSYANDU = "posyandu", _("Posyandu cadre")
    PKK = "pkk", _("PKK cadre")
    POKTAN_LEADER = "poktan_leader", _("Poktan leader")


class TeamRole(models.TextChoices):
    """The three seats of a TPK (DOMAIN.md section 1)."""

    MIDWIFE = "midwife", _("Midwife (bidan)")
    PKK_CADRE = "pkk_cadre", _("PKK cadre")
    KB_CADRE = "kb_cadre", _("KB cadre")


class TpkTeam(TimeStampedModel):
    """A family-assistance team (Tim Pendamping Keluarga) of a village."""

    village = models.ForeignKey(
        "regions.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    SCOPE_AREA_FIELD = "village_id"

    class Meta:
        verbose_name = _("TPK team")
        verbose_name_plural = _("TPK teams")
        ordering = ["village_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["village", "name"], name="tpk_team_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Cadre(TimeStampedModel):
    """One person in one role serving one area, from ``started_on``; deactivated, never deleted."""

    person = models.ForeignKey(
        "families.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="cadre_roles",
    )
    role = models.CharField(_("role"), max_length=16, choices=CadreRole.choices)
    area = models.ForeignKey(
        "regions.Area",
        verbose_name=_("area served"),
        on_delete=models.PROTECT,
        related_name="cadres",
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    decree_number = models.CharField(_("decree (SK) number"), max_length=100, blank=True)
    decree_date = models.DateField(_("decree (SK) date"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    tpk_team = models.ForeignKey(
        TpkTeam,
        verbose_name=_("TPK team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    team_role = models.CharField(
        _("role in the team"), max_length=10, choices=TeamRole.choices, blank=True
    )
    # The cadre's own login: follow-ups it records are this cadre's home visits (decision 0028).
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cadre_rows",
    )
    is_active = models.BooleanField(_("active"), default=True)
    deactivated_reason = models.CharField(_("reason for deactivation"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    SCOPE_AREA_FIELD = "area_id"
    HOLDS_PERSONAL_DATA = True

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["area_id", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "role", "area"],
                condition=Q(is_active=True),
                name="cadre_one_open_row",
            ),
            models.UniqueConstraint(
                fields=["tpk_team", "team_role"],
                condition=Q(is_active=True, tpk_team__isnull=False),
                name="cadre_one_per_team_seat",
            ),
            models.CheckConstraint(
                condition=Q(is_active=True, ended_on__isnull=True)
                | Q(is_active=False, ended_on__isnull=False),
                name="cadre_ended_matches_active",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="cadre_dates_in_order",
            ),
            models.CheckConstraint(
                condition=(Q(role="tpk_member") & Q(tpk_team__isnull=False) & ~Q(team_role=""))
                | (~Q(role="tpk_member") & Q(tpk_team__isnull=True) & Q(team_role="")),
                name="cadre_team_only_for_tpk",
            ),
        ]
        indexes = [
            models.Index(
                fields=["area"], name="cadre_area_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class CadreRegistration(models.Model):
    """The yearly re-registration (K/0) of a cadre: one per cadre and year."""

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="registrations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    registered_on = models.DateField(_("registered on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("cadre registration (K/0)")
        verbose_name_plural = _("cadre registrations (K/0)")
        ordering = ["-year", "cadre_id"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "year"], name="cadre_registration_once"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.year}"


class Topic(models.TextChoices):
    """The curriculum of cadre trainings (the topics of the question bank)."""

    METHODS = "methods", _("Methods and how each works")
    PHASES = "phases", _("Preparation, service and after-care")
    SIDE_EFFECTS = "side_effects", _("Side effects and myths")
    VASECTOMY = "vasectomy", _("Vasectomy (MOP)")
    COUNSELLING = "counselling", _("Counselling skills")
    STUNTING = "stunting", _("Stunting prevention")


class Option(models.TextChoices):
    A = "a", "A"
    B = "b", "B"
    C = "c", "C"
    D = "d", "D"


class Question(models.Model):
    """A question of the bank: four options, one right, and why it is right."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    text = models.TextField(_("question"))
    option_a = models.CharField(_("option A"), max_length=300)
    option_b = models.CharField(_("option B"), max_length=300)
    option_c = models.CharField(_("option C"), max_length=300)
    option_d = models.CharField(_("option D"), max_length=300)
    correct = models.CharField(_("right answer"), max_length=1, choices=Option.choices)
    explanation = models.TextField(_("explanation"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["topic", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(correct__in=["a", "b", "c", "d"]), name="question_correct_option"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def options(self) -> list[tuple[str, str]]:
        return [
            ("a", self.option_a),
            ("b", self.option_b),
            ("c", self.option_c),
            ("d", self.option_d),
        ]

    def option_text(self, letter: str) -> str:
        return dict(self.options()).get(letter, "")


class TrainingTopic(models.Model):
    """A topic of a training's curriculum (the training is an activity of kind ``training``)."""

    training = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("training"),
        on_delete=models.CASCADE,
        related_name="curriculum",
    )
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)

    class Meta:
        verbose_name = _("training topic")
        verbose_name_plural = _("training topics")
        constraints = [
            models.UniqueConstraint(fields=["training", "topic"], name="training_topic_once"),
        ]

    def __str__(self) -> str:
        return f"{self.training_id}: {self.topic}"


class Phase(models.TextChoices):
    PRE = "pre", _("Pre-test")
    POST = "post", _("Post-test")


class KnowledgeTest(TimeStampedModel):
    """A knowledge test taken by a cadre, before or after a training (or on its own)."""

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="tests"
    )
    training = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("training"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="knowledge_tests",
    )
    phase = models.CharField(_("phase"), max_length=4, choices=Phase.choices)
    taken_on = models.DateField(_("taken on"))
    question_count = models.PositiveSmallIntegerField(_("questions"))
    correct_count = models.PositiveSmallIntegerField(_("right answers"))
    score = models.DecimalField(_("score (%)"), max_digits=4, decimal_places=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    SCOPE_AREA_FIELD = "cadre__area_id"
    HOLDS_PERSONAL_DATA = True

    class Meta:
        verbose_name = _("knowledge test")
        verbose_name_plural = _("knowledge tests")
        ordering = ["-taken_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "training", "phase"],
                condition=Q(training__isnull=False),
                name="knowledge_test_once_per_training_phase",
            ),
            models.CheckConstraint(
                condition=Q(question_count__gt=0) & Q(correct_count__lte=F("question_count")),
                name="knowledge_test_counts",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="knowledge_test_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.phase} {self.taken_on}"


class KnowledgeAnswer(models.Model):
    """One question of a test with the option chosen ("" when left unanswered)."""

    test = models.ForeignKey(
        KnowledgeTest, verbose_name=_("test"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+"
    )
    # The question's topic when the test was taken, so that the knowledge gap groups in SQL.
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    chosen = models.CharField(_("answer chosen"), max_length=1, blank=True)
    is_correct = models.BooleanField(_("right"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["test", "question"], name="knowledge_answer_once"),
            models.CheckConstraint(
                condition=Q(chosen__in=["", "a", "b", "c", "d"]), name="knowledge_answer_option"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.test_id}/{self.question_id}: {self.chosen}"


# -- Monthly cadre meetings (issue 6) ----------------------------------------------------------------


class Meeting(TimeStampedModel):
    """The monthly meeting of a village's cadres: one per village and month. Its date, place and
    attendance are those of its activity (kind ``cadre_meeting``); the agenda is generated from the
    data and frozen into ``agenda`` when the minutes are first saved (decision 0026)."""

    village = models.ForeignKey(
        "regions.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))  # the first day of the month
    # Deleting the activity (recorded in error) deletes the meeting with its minutes and tasks.
    activity = models.OneToOneField(
        "activities.Activity",
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="cadre_meeting",
    )
    minutes = models.TextField(_("minutes"), blank=True)
    problems = models.TextField(_("problems raised"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    agenda = models.JSONField(_("agenda as discussed"), default=dict, blank=True)
    minutes_saved_at = models.DateTimeField(_("minutes saved at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    SCOPE_AREA_FIELD = "village_id"
    # Minutes and action items name cadres: read by users who see named persons.
    HOLDS_PERSONAL_DATA = True

    class Meta:
        verbose_name = _("cadre meeting")
        verbose_name_plural = _("cadre meetings")
        ordering = ["-month", "village_id"]
        constraints = [
            models.UniqueConstraint(fields=["village", "month"], name="meeting_once_per_month"),
        ]
        indexes = [
            models.Index(
                fields=["village", "month"],
                name="meeting_village_prefix_idx",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.month:%m-%Y}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")
    # Still open at the next meeting and carried into its action items.
    CARRIED = "carried", _("Carried to next month")


class ActionItem(TimeStampedModel):
    """A task agreed at a meeting, with its owner (a cadre of the village, or a name) and due
    date; an item still open at the next meeting is carried into it (``carried_from``)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="action_items"
    )
    description = models.CharField(_("task"), max_length=300)
    owner = models.ForeignKey(
        Cadre,
        verbose_name=_("owner (cadre)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    owner_name = models.CharField(_("owner (name)"), max_length=150, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    carried_from = models.OneToOneField(
        "self",
        verbose_name=_("carried from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
    )

    SCOPE_AREA_FIELD = "meeting__village_id"
    HOLDS_PERSONAL_DATA = True

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["meeting_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | ~Q(owner_name=""), name="action_item_has_owner"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | (~Q(status="open") & Q(closed_on__isnull=False)),
                name="action_item_closed_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "done", "dropped", "carried"]),
                name="action_item_status_known",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def owner_label(self) -> str:
        return self.owner.person.full_name if self.owner is not None else self.owner_name


# -- Incentives (issue 6, decision 0028) -------------------------------------------------------------


class IncentiveRule(TimeStampedModel):
    """The rates a district pays its cadres from ``valid_from`` on, for one role or every role
    (``role`` blank). Amounts are whole rupiah; a blank cap means no cap."""

    area = models.ForeignKey(
        "regions.Area", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=16, choices=CadreRole.choices, blank=True)
    valid_from = models.DateField(_("valid from (month)"))  # the first day of a month
    base_honorarium = models.PositiveIntegerField(_("monthly base honorarium"), default=0)
    per_home_visit = models.PositiveIntegerField(_("per verified home visit"), default=0)
    per_referral = models.PositiveIntegerField(_("per referral that became a new user"), default=0)
    per_meeting = models.PositiveIntegerField(_("per cadre meeting attended"), default=0)
    per_training = models.PositiveIntegerField(_("per training completed"), default=0)
    max_home_visits = models.PositiveSmallIntegerField(
        _("most home visits paid in a month"), null=True, blank=True
    )
    max_referrals = models.PositiveSmallIntegerField(
        _("most referrals paid in a month"), null=True, blank=True
    )
    max_total = models.PositiveIntegerField(
        _("most paid to a cadre in a month"), null=True, blank=True
    )
    referral_window_days = models.PositiveSmallIntegerField(
        _("days from referral to new use"), default=90
    )
    note = models.CharField(_("note (regulation, budget line)"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    SCOPE_AREA_FIELD = "area_id"

    class Meta:
        verbose_name = _("incentive rule")
        verbose_name_plural = _("incentive rules")
        ordering = ["area_id", "role", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "role", "valid_from"], name="incentive_rule_once_per_month"
            ),
            models.CheckConstraint(
                condition=Q(referral_window_days__gte=1), name="incentive_rule_window_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.role or '*'} {self.valid_from:%Y-%m}"


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed, awaiting approval")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")


class IncentiveBatch(TimeStampedModel):
    """A village's incentives for one month: computed and proposed by the PKB officer (the maker),
    approved or returned by the district (the checker), then paid. Each reopening after approval
    starts a new ``revision``; the lines of earlier revisions are kept."""

    village = models.ForeignKey(
        "regions.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))  # the first day of the month
    status = models.CharField(
        _("status"), max_length=8, choices=BatchStatus.choices, default=BatchStatus.DRAFT
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    total = models.PositiveIntegerField(_("total (Rp)"), default=0)
    computed_at = models.DateTimeField(_("computed at"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or returned by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("approved or returned at"), null=True, blank=True)
    return_reason = models.CharField(_("reason for return"), max_length=300, blank=True)

    SCOPE_AREA_FIELD = "village_id"

    class Meta:
        verbose_name = _("incentive proposal")
        verbose_name_plural = _("incentive proposals")
        ordering = ["-month", "village_id"]
        constraints = [
            models.UniqueConstraint(fields=["village", "month"], name="incentive_batch_once"),
            models.CheckConstraint(
                condition=Q(status="returned", decided_at__isnull=False) & ~Q(return_reason="")
                | ~Q(status="returned"),
                name="incentive_batch_return_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "returned"]) | Q(proposed_at__isnull=False),
                name="incentive_batch_proposed_signed",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "paid"]) | Q(decided_at__isnull=False),
                name="incentive_batch_approved_signed",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                name="incentive_batch_four_eyes",
            ),
        ]
        indexes = [
            models.Index(
                fields=["village", "month"],
                name="incentive_batch_prefix_idx",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.month:%Y-%m} r{self.revision}"


class IncentiveLine(models.Model):
    """What one cadre earned in a batch revision: counts, amounts by kind and the total paid."""

    batch = models.ForeignKey(
        IncentiveBatch, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="lines"
    )
    revision = models.PositiveSmallIntegerField(_("revision"))
    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="incentive_lines"
    )
    rule = models.ForeignKey(
        IncentiveRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="lines"
    )
    home_visits = models.PositiveSmallIntegerField(_("verified home visits"), default=0)
    referrals = models.PositiveSmallIntegerField(_("referrals that became new users"), default=0)
    meetings = models.PositiveSmallIntegerField(_("meetings attended"), default=0)
    trainings = models.PositiveSmallIntegerField(_("trainings completed"), default=0)
    base_amount = models.PositiveIntegerField(_("base honorarium (Rp)"), default=0)
    visits_amount = models.PositiveIntegerField(_("home visits (Rp)"), default=0)
    referrals_amount = models.PositiveIntegerField(_("referrals (Rp)"), default=0)
    meetings_amount = models.PositiveIntegerField(_("meetings (Rp)"), default=0)
    trainings_amount = models.PositiveIntegerField(_("trainings (Rp)"), default=0)
    capped_amount = models.PositiveIntegerField(_("above the monthly cap (Rp)"), default=0)
    total = models.PositiveIntegerField(_("total (Rp)"), default=0)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("payment recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    SCOPE_AREA_FIELD = "batch__village_id"
    HOLDS_PERSONAL_DATA = True

    class Meta:
        verbose_name = _("incentive line")
        verbose_name_plural = _("incentive lines")
        ordering = ["batch_id", "revision", "cadre__person__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "revision", "cadre"], name="incentive_line_once"
            ),
            models.CheckConstraint(
                condition=Q(
                    total=F("base_amount")
                    + F("visits_amount")
                    + F("referrals_amount")
                    + F("meetings_amount")
                    + F("trainings_amount")
                    - F("capped_amount")
                ),
                name="incentive_line_total_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=False) | Q(paid_by__isnull=True, payment_reference=""),
                name="incentive_line_paid_signed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.revision} {self.cadre_id}: {self.total}"

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None


class ItemKind(models.TextChoices):
    BASE = "base", _("Base honorarium")
    HOME_VISIT = "home_visit", _("Verified home visit")
    REFERRAL = "referral", _("Referral that became a new user")
    MEETING = "meeting", _("Cadre meeting attended")
    TRAINING = "training", _("Training completed")


class IncentiveItem(models.Model):
    """One record that earned (or, above a cap, would have earned) an amount: the trace from
    every rupiah to the follow-up, new-user episode or activity behind it."""

    line = models.ForeignKey(
        IncentiveLine, verbose_name=_("line"), on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    on = models.DateField(_("date"))
    amount = models.PositiveIntegerField(_("amount (Rp)"))
    counted = models.BooleanField(_("counted (within the cap)"), default=True)
    follow_up = models.ForeignKey(
        "contraception.FollowUp",
        verbose_name=_("follow-up"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    episode = models.ForeignKey(
        "contraception.Episode",
        verbose_name=_("new-user episode"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What the record was when the item was computed, kept if the record later goes.
    source = models.CharField(_("record"), max_length=200)

    class Meta:
        verbose_name = _("incentive item")
        verbose_name_plural = _("incentive items")
        ordering = ["line_id", "kind", "on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(counted=True) | Q(amount=0), name="incentive_item_uncounted_is_zero"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.on}: {self.amount}"


class BatchAction(models.TextChoices):
    COMPUTED = "computed", _("Computed")
    PROPOSED = "proposed", _("Proposed")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    REOPENED = "reopened", _("Reopened for correction")
    PAID = "paid", _("Payment recorded")


class IncentiveEvent(models.Model):
    """The maker-checker trail of a batch: who did what, when, why, at which total."""

    batch = models.ForeignKey(
        IncentiveBatch, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="events"
    )
    revision = models.PositiveSmallIntegerField(_("revision"))
    action = models.CharField(_("action"), max_length=10, choices=BatchAction.choices)
    total = models.PositiveIntegerField(_("total (Rp)"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("incentive event")
        verbose_name_plural = _("incentive events")
        ordering = ["batch_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.batch_id} r{self.revision} {self.action}"


# The TPK at work (assignments and visits) lives in its own file; imported here so that Django
# finds the models of the app.
from kampungkb.cadres.tpk_models import (  # noqa: E402
    EndReason as EndReason,
)
from kampungkb.cadres.tpk_models import (  # noqa: E402
    TargetKind as TargetKind,
)
from kampungkb.cadres.tpk_models import (  # noqa: E402
    TpkAssignment as TpkAssignment,
)
from kampungkb.cadres.tpk_models import (  # noqa: E402
    TpkVisit as TpkVisit,
)

"""Family-assistance teams at work (decision 0036): whom a TPK team accompanies and its visits.

An assignment names one target of one kind with the foreign key of that kind (the others stay
empty; a check constraint says which). A pregnancy and a post-partum mother are both reached
through the ``families.Pregnancy``: pregnant while it is open, post-partum for 42 days after it
ended in a birth. A bride-to-be (``stunting.BrideToBe``) is accompanied until her first pregnancy
(decision 0040). A target has at most one open assignment;
an assignment ends (``ended_on``, ``end_reason``) when the PKB ends it or the target leaves.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kampungkb.core.models import TimeStampedModel


class TargetKind(models.TextChoices):
    FAMILY = "family", _("Family")
    PREGNANCY = "pregnancy", _("Pregnant mother")
    POSTPARTUM = "postpartum", _("Post-partum mother")
    CHILD = "child", _("Child under five")
    BRIDE = "bride", _("Bride-to-be")


class EndReason(models.TextChoices):
    ENDED = "ended", _("Ended by the programme")
    PREGNANCY_ENDED = "pregnancy_ended", _("Pregnancy ended")
    POSTPARTUM_OVER = "postpartum_over", _("42 days after the birth are over")
    CHILD_FIVE = "child_five", _("Child turned five")
    FAMILY_INACTIVE = "family_inactive", _("Family no longer active")
    DIED = "died", _("Died")
    FIRST_PREGNANCY = "first_pregnancy", _("First pregnancy recorded")
    BRIDE_CANCELLED = "bride_cancelled", _("Bride-to-be's registration cancelled")


# The foreign key each kind fills; the others stay empty.
TARGET_FIELD: dict[str, str] = {
    TargetKind.FAMILY: "family",
    TargetKind.PREGNANCY: "pregnancy",
    TargetKind.POSTPARTUM: "pregnancy",
    TargetKind.CHILD: "child",
    TargetKind.BRIDE: "bride",
}


def _only(field: str) -> Q:
    empty = {f"{f}__isnull": True for f in set(TARGET_FIELD.values()) - {field}}
    return Q(**{f"{field}__isnull": False}, **empty)


class TpkAssignment(TimeStampedModel):
    """A target a TPK team accompanies from ``started_on`` until ``ended_on`` (open when empty)."""

    team = models.ForeignKey(
        "cadres.TpkTeam",
        verbose_name=_("TPK team"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    kind = models.CharField(_("target"), max_length=12, choices=TargetKind.choices)
    family = models.ForeignKey(
        "families.Family",
        verbose_name=_("family"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tpk_assignments",
    )
    pregnancy = models.ForeignKey(
        "families.Pregnancy",
        verbose_name=_("pregnancy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tpk_assignments",
    )
    child = models.ForeignKey(
        "families.Person",
        verbose_name=_("child"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tpk_assignments",
    )
    bride = models.ForeignKey(
        "stunting.BrideToBe",
        verbose_name=_("bride-to-be"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tpk_assignments",
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason it ended"), max_length=16, choices=EndReason.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    SCOPE_AREA_FIELD = "team__village_id"
    HOLDS_PERSONAL_DATA = True

    class Meta:
        verbose_name = _("TPK assignment")
        verbose_name_plural = _("TPK assignments")
        ordering = ["team_id", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=TargetKind.FAMILY) & _only("family"))
                | (Q(kind__in=[TargetKind.PREGNANCY, TargetKind.POSTPARTUM]) & _only("pregnancy"))
                | (Q(kind=TargetKind.CHILD) & _only("child"))
                | (Q(kind=TargetKind.BRIDE) & _only("bride")),
                name="tpk_assignment_one_target",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="")
                | Q(ended_on__isnull=False, ended_on__gte=F("started_on")) & ~Q(end_reason=""),
                name="tpk_assignment_end",
            ),
            models.UniqueConstraint(
                fields=["family"],
                condition=Q(ended_on__isnull=True, kind="family"),
                name="tpk_assignment_open_family",
            ),
            models.UniqueConstraint(
                fields=["pregnancy", "kind"],
                condition=Q(ended_on__isnull=True, pregnancy__isnull=False),
                name="tpk_assignment_open_pregnancy",
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(ended_on__isnull=True, kind="child"),
                name="tpk_assignment_open_child",
            ),
            models.UniqueConstraint(
                fields=["bride"],
                condition=Q(ended_on__isnull=True, kind="bride"),
                name="tpk_assignment_open_bride",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def target_id(self) -> int:
        return int(getattr(self, TARGET_FIELD[self.kind] + "_id"))


class TpkVisit(TimeStampedModel):
    """One visit of a TPK team to an assigned target, with what was done and when to come back."""

    assignment = models.ForeignKey(
        TpkAssignment, verbose_name=_("target"), on_delete=models.PROTECT, related_name="visits"
    )
    team = models.ForeignKey(
        "cadres.TpkTeam", verbose_name=_("TPK team"), on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField(_("visit date"))
    members = models.ManyToManyField(
        "cadres.Cadre", verbose_name=_("team members who visited"), related_name="tpk_visits"
    )
    spacing_counselling = models.BooleanField(_("counselling on birth spacing"), default=False)
    nutrition_counselling = models.BooleanField(_("nutrition counselling"), default=False)
    postpartum_contraception = models.BooleanField(
        _("post-partum contraception counselling"), default=False
    )
    referred_to_puskesmas = models.BooleanField(_("referred to the puskesmas"), default=False)
    social_assistance = models.BooleanField(
        _("helped with social assistance (bansos)"), default=False
    )
    notes = models.TextField(_("notes"), blank=True)
    next_visit_on = models.DateField(_("next visit"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    SCOPE_AREA_FIELD = "team__village_id"
    HOLDS_PERSONAL_DATA = True
    CHECKLIST = (
        "spacing_counselling",
        "nutrition_counselling",
        "postpartum_contraception",
        "referred_to_puskesmas",
        "social_assistance",
    )

    class Meta:
        verbose_name = _("TPK visit")
        verbose_name_plural = _("TPK visits")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_visit_on__gt=F("visited_on")), name="tpk_visit_next_after"
            ),
        ]
        indexes = [models.Index(fields=["team", "visited_on"], name="tpk_visit_team_date_idx")]

    def __str__(self) -> str:
        return f"{self.visited_on} #{self.assignment_id}"

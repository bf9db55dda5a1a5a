"""Field notes: interview and observation notes (the study's method), each coded to any of the
three dimensions and any barriers (decision 0032). A note quotes a person, so it is personal
data: only roles that see named persons read it; the others see counts of codes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kampungkb.core.models import TimeStampedModel
from kampungkb.participation.barriers import BarrierCode
from kampungkb.participation.dimensions import Dimension

# The codes a note may carry: the dimensions first, then the barrier catalogue.
CODE_CHOICES: list[tuple[str, Any]] = [*Dimension.choices, *BarrierCode.choices]


class NoteKind(models.TextChoices):
    INTERVIEW = "interview", _("Interview")
    OBSERVATION = "observation", _("Observation")


class InformantRole(models.TextChoices):
    CADRE = "cadre", _("Cadre (kader)")
    RELIGIOUS_LEADER = "religious_leader", _("Religious leader (tokoh agama)")
    COMMUNITY_LEADER = "community_leader", _("Community leader (tokoh masyarakat)")
    PUS_WOMAN = "pus_woman", _("Woman of a PUS couple")
    HUSBAND = "husband", _("Husband")
    PKB = "pkb", _("Field officer (PKB/PLKB)")
    MIDWIFE = "midwife", _("Midwife (bidan)")
    VILLAGE_OFFICIAL = "village_official", _("Village or RT/RW official")
    OTHER = "other", _("Other")


class FieldNote(TimeStampedModel):
    area = models.ForeignKey(
        "regions.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    noted_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=NoteKind.choices)
    informant_role = models.CharField(
        _("informant"), max_length=20, choices=InformantRole.choices, blank=True
    )
    informant_name = models.CharField(_("informant's name"), max_length=120, blank=True)
    text = models.TextField(_("quote or observation"))
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
        verbose_name = _("field note")
        verbose_name_plural = _("field notes")
        ordering = ["-noted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(text=""), name="participation_note_has_text"
            ),
        ]
        indexes = [
            models.Index(
                fields=["area"],
                name="participation_note_area_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.noted_on}"

    @property
    def code_list(self) -> list[str]:
        return [c.code for c in self.codes.all()]


class NoteCode(models.Model):
    """One code on a note: a dimension or a barrier."""

    note = models.ForeignKey(
        FieldNote, verbose_name=_("note"), on_delete=models.CASCADE, related_name="codes"
    )
    code = models.CharField(_("code"), max_length=20, choices=CODE_CHOICES)

    class Meta:
        verbose_name = _("note code")
        verbose_name_plural = _("note codes")
        ordering = ["note_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["note", "code"], name="participation_note_code_once"),
        ]

    def __str__(self) -> str:
        return self.code

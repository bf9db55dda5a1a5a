"""A district's own suggested actions (issue 7): the wording, activity kind and target group the
district office wants proposed for a barrier or a weak dimension in its villages, in place of the
defaults shipped in code (``barriers.CATALOGUE``, ``suggestions.DIMENSION_ACTIONS``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kampungkb.activities.models import ActivityKind, TargetGroup
from kampungkb.core.models import TimeStampedModel


class SuggestedActionEdit(TimeStampedModel):
    area = models.ForeignKey(
        "regions.Area",
        verbose_name=_("regency/city"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # "barrier:<code>" or "dimension:<code>": the plan_reason of the activities it suggests.
    key = models.CharField(_("for"), max_length=64)
    text = models.CharField(_("suggested action"), max_length=300)
    kind = models.CharField(_("activity kind"), max_length=24, choices=ActivityKind.choices)
    target_group = models.CharField(_("target group"), max_length=32, choices=TargetGroup.choices)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    SCOPE_AREA_FIELD = "area_id"

    class Meta:
        verbose_name = _("district's suggested action")
        verbose_name_plural = _("district's suggested actions")
        constraints = [
            models.UniqueConstraint(fields=["area", "key"], name="suggested_action_once"),
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.key}"

"""Indicator facts: one narrow table of numerators and denominators per indicator, area, month and
subgroup, filled by ``fill.py``; and the fill's state (dirty marks, runs) so it is incremental and
resumable (decision 0013)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kampungkb.indicators.registry import indicator

# The nation's facts carry this code (level 0): every province rolls up into it.
NATION = "ID"
NATION_LEVEL = 0


class Fact(models.Model):
    indicator = models.CharField(_("indicator"), max_length=20)
    area_code = models.CharField(_("area code"), max_length=32)
    level = models.PositiveSmallIntegerField(_("level"))
    period = models.DateField(_("month"))  # the first day of the month
    subgroup = models.CharField(_("subgroup"), max_length=40, blank=True, default="")
    numerator = models.DecimalField(_("numerator"), max_digits=20, decimal_places=5)
    denominator = models.DecimalField(
        _("denominator"), max_digits=20, decimal_places=5, null=True, blank=True
    )

    SCOPE_AREA_FIELD = "area_code"
    HOLDS_PERSONAL_DATA = False

    class Meta:
        verbose_name = _("indicator fact")
        verbose_name_plural = _("indicator facts")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area_code", "period", "subgroup"], name="fact_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["indicator", "period", "area_code"],
                name="fact_read_idx",
                opclasses=["varchar_pattern_ops", "date_ops", "varchar_pattern_ops"],
            ),
            models.Index(fields=["level", "period"], name="fact_level_period_idx"),
            models.Index(fields=["period"], name="fact_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.area_code} {self.period:%Y-%m} {self.subgroup}"

    @property
    def value(self) -> Decimal | None:
        return indicator(self.indicator).value(self.numerator, self.denominator)


class DirtyMark(models.Model):
    """An area and month whose facts must be computed again: villages from the registers, the
    areas above them from their children's facts."""

    area_code = models.CharField(_("area code"), max_length=32)
    level = models.PositiveSmallIntegerField(_("level"))
    period = models.DateField(_("month"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set again whenever the month is marked again: a fill deletes a mark only if it has not
    # changed since the fill read it, so a write that lands during a fill is never lost.
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)

    SCOPE_AREA_FIELD = "area_code"
    HOLDS_PERSONAL_DATA = False

    class Meta:
        verbose_name = _("month to refill")
        verbose_name_plural = _("months to refill")
        constraints = [
            models.UniqueConstraint(fields=["area_code", "period"], name="dirtymark_unique"),
        ]
        indexes = [models.Index(fields=["level", "area_code"], name="dirtymark_level_area_idx")]

    def __str__(self) -> str:
        return f"{self.area_code} {self.period:%Y-%m}"


class FillRun(models.Model):
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    marks_processed = models.PositiveIntegerField(_("months processed"), default=0)

    class Meta:
        verbose_name = _("fill run")
        verbose_name_plural = _("fill runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} ({self.marks_processed})"

"""Indicator facts: one narrow table of numerators and denominators per indicator, area, month and
subgroup, filled by ``fill.py``; and the fill's state (dirty marks, runs) so it is incremental and
resumable (decision 0013)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kampungkb.indicators.registry import Code, indicator

# The nation's facts carry this code (level 0): every province rolls up into it.
NATION = "ID"
NATION_LEVEL = 0


class Fact(models.Model):
    indicator = models.CharField(_("indicator"), max_length=32)
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


class CoupleMark(models.Model):
    """A couple whose contraceptive records changed in a month whose village facts are filled
    (decision 0038): what the couple counted for in its village's figures of that month before
    the change (``rows``, as of ``today``). The next fill computes what it counts for now, as of
    the same day, and adds the difference to the village and every area above it."""

    couple_id = models.PositiveBigIntegerField(_("couple"))
    area_code = models.CharField(_("village"), max_length=32)
    period = models.DateField(_("month"))
    today = models.DateField(_("as of"))
    # [[indicator, subgroup, numerator, denominator or null], ...], numbers as strings.
    rows = models.JSONField(_("figures before the change"), default=list)
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)

    SCOPE_AREA_FIELD = "area_code"
    # One couple's figures tell its method: read as personal data, though no page shows them.
    HOLDS_PERSONAL_DATA = True

    class Meta:
        verbose_name = _("couple to refill")
        verbose_name_plural = _("couples to refill")
        constraints = [
            models.UniqueConstraint(fields=["couple_id", "period"], name="couplemark_unique"),
        ]
        indexes = [models.Index(fields=["area_code", "period"], name="couplemark_area_idx")]

    def __str__(self) -> str:
        return f"{self.couple_id} {self.area_code} {self.period:%Y-%m}"


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


# Targets are yearly; a year outside this range is a typing error (decision 0015).
TARGET_FIRST_YEAR = 2000
# The largest PPM accepted: about seven times Indonesia's PUS.
TARGET_MAX_VALUE = 1_000_000_000


class TargetKind(models.TextChoices):
    """The yearly PPM (perkiraan permintaan masyarakat) targets, named by the indicator they
    are set for."""

    PA = Code.PA.value, _("PPM-PA (active users)")
    PB = Code.PB.value, _("PPM-PB (new users)")


class Target(models.Model):
    """A yearly target entered for an area (decision 0015): never derived, so an area without its
    own target shows at most the sum of its sub-areas' targets."""

    area = models.ForeignKey(
        "regions.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="targets",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("target"), max_length=8, choices=TargetKind.choices)
    value = models.PositiveIntegerField(_("value"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    SCOPE_AREA_FIELD = "area_id"
    HOLDS_PERSONAL_DATA = False

    class Meta:
        verbose_name = _("yearly target (PPM)")
        verbose_name_plural = _("yearly targets (PPM)")
        constraints = [
            models.UniqueConstraint(fields=["area", "year", "kind"], name="target_unique"),
            models.CheckConstraint(
                condition=models.Q(year__gte=TARGET_FIRST_YEAR), name="target_year_range"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0, value__lte=TARGET_MAX_VALUE),
                name="target_value_range",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=TargetKind.values), name="target_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["year", "kind"], name="target_year_kind_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.area_id} {self.year}: {self.value}"

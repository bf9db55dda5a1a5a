"""Child growth: the measurements of children under 5 at the Posyandu, with their WHO 2006
z-scores computed when they are written (``growth_services``, decision 0034); brides-to-be and
their screenings before the wedding (``bride_services``, decision 0037)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kampungkb.core.models import TimeStampedModel
from kampungkb.stunting.growth import Position as GrowthPosition

# What a scale and a length board at a Posyandu can give for a child under 5: a value outside is a
# typing slip (checked by the service, kept by the database). Extreme but real values inside are
# kept and flagged by their z-scores instead.
WEIGHT_RANGE = (Decimal("0.5"), Decimal("50"))
LENGTH_RANGE = (Decimal("35"), Decimal("130"))


class Position(models.TextChoices):
    LYING = GrowthPosition.LYING.value, _("lying (length)")
    STANDING = GrowthPosition.STANDING.value, _("standing (height)")


class ChildMeasurement(TimeStampedModel):
    child = models.ForeignKey(
        "families.Person",
        verbose_name=_("child"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    measured_on = models.DateField(_("date measured"))
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=5, decimal_places=2)
    length_or_height_cm = models.DecimalField(
        _("length or height (cm)"), max_digits=4, decimal_places=1
    )
    position = models.CharField(_("measured"), max_length=8, choices=Position.choices)
    oedema = models.BooleanField(_("oedema of both feet"), default=False)
    place = models.CharField(_("place (Posyandu)"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Derived by the service from the values above and the child's sex and birth date.
    age_days = models.PositiveIntegerField(_("age in days"))
    haz = models.DecimalField(
        _("length/height-for-age z-score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    waz = models.DecimalField(
        _("weight-for-age z-score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    whz = models.DecimalField(
        _("weight-for-length/height z-score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    # WHO flags of biologically implausible values: kept, shown, left out of the indicators.
    haz_flagged = models.BooleanField(_("HAZ implausible"), default=False)
    waz_flagged = models.BooleanField(_("WAZ implausible"), default=False)
    whz_flagged = models.BooleanField(_("WHZ implausible"), default=False)

    SCOPE_AREA_FIELD = "child__family__area_id"
    HOLDS_PERSONAL_DATA = True

    class Meta:
        verbose_name = _("child measurement")
        verbose_name_plural = _("child measurements")
        ordering = ("child", "measured_on", "pk")
        constraints = [
            # One measurement a day: a second one is a correction of the first.
            models.UniqueConstraint(
                fields=["child", "measured_on"], name="measurement_one_per_child_day"
            ),
            models.CheckConstraint(
                condition=Q(weight_kg__gte=WEIGHT_RANGE[0]) & Q(weight_kg__lte=WEIGHT_RANGE[1]),
                name="measurement_weight_range",
            ),
            models.CheckConstraint(
                condition=Q(length_or_height_cm__gte=LENGTH_RANGE[0])
                & Q(length_or_height_cm__lte=LENGTH_RANGE[1]),
                name="measurement_length_range",
            ),
            models.CheckConstraint(
                condition=Q(position__in=Position.values), name="measurement_position_valid"
            ),
            models.CheckConstraint(
                condition=Q(age_days__lt=1827), name="measurement_child_under_five"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{z}_flagged": False}) | Q(**{f"{z}__isnull": False}),
                    name=f"measurement_{z}_flag_has_score",
                )
                for z in ("haz", "waz", "whz")
            ),
            models.CheckConstraint(
                condition=(Q(waz__isnull=True) & Q(whz__isnull=True)) | Q(oedema=False),
                name="measurement_oedema_no_weight_z",
            ),
        ]
        indexes = [
            models.Index(fields=["measured_on"], name="measurement_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} {self.measured_on}"


class CancelReason(models.TextChoices):
    """Why a bride-to-be's registration was closed before any wedding."""

    CALLED_OFF = "called_off", _("Wedding called off")
    POSTPONED = "postponed", _("Postponed without a date")
    MOVED_AWAY = "moved_away", _("Moved away")
    MISTAKE = "mistake", _("Registered by mistake")
    OTHER = "other", _("Other")


class BrideToBe(TimeStampedModel):
    """A bride-to-be (calon pengantin) registered before her wedding, with her groom, accompanied
    by the family-assistance team until her first pregnancy (decision 0037)."""

    area = models.ForeignKey(
        "regions.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    # The bride in the register when she is in it; her name and birth date are kept either way.
    person = models.ForeignKey(
        "families.Person",
        verbose_name=_("in the register"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    full_name = models.CharField(_("bride's name"), max_length=150)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    birth_date = models.DateField(_("bride's birth date"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    groom_name = models.CharField(_("groom's name"), max_length=150)
    groom_birth_date = models.DateField(_("groom's birth date"), null=True, blank=True)
    wedding_on = models.DateField(_("planned wedding date"))
    registered_on = models.DateField(_("registered on"))
    married_on = models.DateField(_("married on"), null=True, blank=True)
    # The registration closed without a wedding: no longer accompanied nor counted from that day.
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.CharField(
        _("reason cancelled"), max_length=12, choices=CancelReason.choices, blank=True
    )
    # The couple in the register once married: her first pregnancy ends the accompaniment.
    couple = models.ForeignKey(
        "families.Couple",
        verbose_name=_("couple"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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
        verbose_name = _("bride-to-be")
        verbose_name_plural = _("brides-to-be")
        ordering = ["wedding_on", "full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(wedding_on__gte=models.F("registered_on")),
                name="bride_registered_before_wedding",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_on__isnull=True, cancel_reason="")
                | Q(cancelled_on__isnull=False, cancelled_on__gte=models.F("registered_on"))
                & ~Q(cancel_reason=""),
                name="bride_cancelled_with_reason",
            ),
            # A recorded marriage is not cancelled; reopen the registration before recording one.
            models.CheckConstraint(
                condition=Q(cancelled_on__isnull=True) | Q(married_on__isnull=True),
                name="bride_cancelled_not_married",
            ),
        ]
        indexes = [
            models.Index(
                fields=["area", "wedding_on"],
                name="bride_area_prefix_idx",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class BrideScreening(TimeStampedModel):
    """One screening of a bride-to-be (Elsimil): weight, height, upper-arm circumference (LiLA),
    haemoglobin and smoking."""

    bride = models.ForeignKey(
        BrideToBe,
        verbose_name=_("bride-to-be"),
        on_delete=models.CASCADE,
        related_name="screenings",
    )
    screened_on = models.DateField(_("screened on"))
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=5, decimal_places=1)
    height_cm = models.DecimalField(_("height (cm)"), max_digits=4, decimal_places=1)
    lila_cm = models.DecimalField(
        _("upper-arm circumference, LiLA (cm)"), max_digits=4, decimal_places=1
    )
    hb_g_dl = models.DecimalField(
        _("haemoglobin (g/dL)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    smokes = models.BooleanField(_("smokes"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("screening of a bride-to-be")
        verbose_name_plural = _("screenings of brides-to-be")
        ordering = ["bride_id", "-screened_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.bride_id} {self.screened_on}"

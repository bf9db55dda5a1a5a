"""Kampung KB: the registry of each Kampung KB, its monthly profile (versions, one active per
month), the classification rules (versioned thresholds) and the classification of each month.

Poktan present, management activities held and partner agencies are not keyed in the profile:
the classification reads them from ``activities`` (decision 0022). Population and FP figures are
the village's indicator facts, never keyed twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kampungkb.core.models import TimeStampedModel
from kampungkb.kampung.classification import KampungClass


class Criterion(models.TextChoices):
    """BKKBN's selection criteria for a Kampung KB location (decision 0022)."""

    # Main criteria: both are expected.
    POOR_FAMILIES = (
        "poor_families",
        _("Pre-prosperous and KS I (poor) families above the village average"),
    )
    LOW_FP = "low_fp", _("FP participation below the village achievement")
    # Area criteria: at least one.
    SLUM = "slum", _("Slum area")
    COASTAL = "coastal", _("Coastal or fishing area")
    RIVER_BASIN = "river_basin", _("River basin (DAS)")
    RAILWAY = "railway", _("Along a railway")
    POOR_AREA = "poor_area", _("Poor area (including urban poor)")
    REMOTE = "remote", _("Remote area")
    BORDER = "border", _("Border area")
    INDUSTRIAL = "industrial", _("Industrial area")
    TOURIST = "tourist", _("Tourist area")
    DENSE = "dense", _("Densely populated area")
    # Special criteria.
    FAMILY_DATA = "family_data", _("Family data and map kept for every RT/RW")
    LOW_SCHOOLING = "low_schooling", _("Low school participation")
    LOW_USERS_MKJP = "low_users_mkjp", _("Active FP and MKJP users below the village average")
    LOW_PARTICIPATION = "low_participation", _("Low community participation in family development")
    LOW_SECTORS = (
        "low_sectors",
        _("Low achievement of related sectors (health, economy, education, housing, environment)"),
    )


MAIN_CRITERIA = (Criterion.POOR_FAMILIES, Criterion.LOW_FP)
AREA_CRITERIA = (
    Criterion.SLUM,
    Criterion.COASTAL,
    Criterion.RIVER_BASIN,
    Criterion.RAILWAY,
    Criterion.POOR_AREA,
    Criterion.REMOTE,
    Criterion.BORDER,
    Criterion.INDUSTRIAL,
    Criterion.TOURIST,
    Criterion.DENSE,
)
SPECIAL_CRITERIA = (
    Criterion.FAMILY_DATA,
    Criterion.LOW_SCHOOLING,
    Criterion.LOW_USERS_MKJP,
    Criterion.LOW_PARTICIPATION,
    Criterion.LOW_SECTORS,
)


class ModelFlag(models.TextChoices):
    PILOT = "pilot", _("Pilot Kampung KB (percontohan)")
    MODEL = "model", _("Model Kampung KB (best practice)")


class DataSource(models.TextChoices):
    """The data a Kampung KB uses to plan (the process index counts them)."""

    FAMILY_DATA = "family_data", _("Family data collection (PK)")
    ROUTINE_FP = "routine_fp", _("Routine FP recording and reporting (R/I/KB, F/I/Dal)")
    CIVIL_REGISTRY = "civil_registry", _("Civil registry data (Dukcapil)")
    VILLAGE_DATA = "village_data", _("Village profile and potential data")
    SECTORAL = "sectoral", _("Sectoral data (health, education, social affairs)")


class KampungKb(TimeStampedModel):
    village = models.ForeignKey(
        "regions.Area",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="kampung_kbs",
    )
    # Only when the Kampung KB covers part of the village: the RW (or dusun) it covers.
    rws = models.ManyToManyField(
        "regions.Area", verbose_name=_("RW covered"), blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=150)
    declared_on = models.DateField(_("declaration date"))
    # Optional: the village's coordinates stand in.
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    person_in_charge = models.CharField(_("person in charge"), max_length=150)
    person_in_charge_phone = models.CharField(
        _("phone of the person in charge"), max_length=20, blank=True
    )
    # Lists of Criterion and ModelFlag values; JSON keeps them portable (as activities do).
    criteria = models.JSONField(_("selection criteria met"), default=list, blank=True)
    model_flags = models.JSONField(_("model flags"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    SCOPE_AREA_FIELD = "village_id"
    HOLDS_PERSONAL_DATA = False

    class Meta:
        verbose_name = _("Kampung KB")
        verbose_name_plural = _("Kampung KB")
        ordering = ["village_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["village"],
                condition=Q(is_active=True),
                name="kampung_one_active_per_village",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="kampung_coordinates_both_or_none",
            ),
        ]
        indexes = [
            models.Index(
                fields=["village"],
                name="kampung_village_prefix_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProfileVersion(models.Model):
    """One version of a Kampung KB's profile for a month. Editing a month adds a version and
    makes the previous one inactive: exactly one active version per Kampung KB and month."""

    kampung = models.ForeignKey(
        KampungKb, verbose_name=_("Kampung KB"), on_delete=models.CASCADE, related_name="profiles"
    )
    month = models.DateField(_("month"))  # the first day of the month
    version = models.PositiveSmallIntegerField(_("version"))
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    pokja_exists = models.BooleanField(_("Pokja exists"), default=False)
    pokja_decree_number = models.CharField(
        _("Pokja decree (SK) number"), max_length=100, blank=True
    )
    pokja_decree_date = models.DateField(_("Pokja decree (SK) date"), null=True, blank=True)
    pokja_trained = models.BooleanField(_("Pokja trained"), default=False)
    pokja_members = models.PositiveSmallIntegerField(_("Pokja members"), default=0)
    pkb = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("PKB officer assigned"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    supervisor_name = models.CharField(_("named supervisor"), max_length=150, blank=True)
    regulation_issued = models.BooleanField(_("village regulation issued"), default=False)
    # Lists of activities.FundingSource and DataSource values.
    funding_sources = models.JSONField(_("funding sources"), default=list, blank=True)
    has_secretariat = models.BooleanField(_("secretariat"), default=False)
    has_rumah_dataku = models.BooleanField(_("Rumah DataKu"), default=False)
    data_sources = models.JSONField(_("data sources used"), default=list, blank=True)
    has_workplan = models.BooleanField(_("community workplan (RKM)"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    SCOPE_AREA_FIELD = "kampung__village_id"
    HOLDS_PERSONAL_DATA = False

    class Meta:
        verbose_name = _("Kampung KB profile")
        verbose_name_plural = _("Kampung KB profiles")
        ordering = ["kampung_id", "-month", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kampung", "month", "version"], name="profile_unique_version"
            ),
            models.UniqueConstraint(
                fields=["kampung", "month"],
                condition=Q(is_active=True),
                name="profile_one_active_per_month",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="profile_month_first_day"),
            models.CheckConstraint(
                condition=Q(pokja_exists=True)
                | Q(pokja_trained=False, pokja_members=0, pokja_decree_number=""),
                name="profile_pokja_details_need_pokja",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kampung_id} {self.month:%Y-%m} v{self.version}"


class ClassificationRules(models.Model):
    """A version of the classification thresholds, in force from ``valid_from`` until the next
    version's ``valid_from``. ``bands`` is ``classification.DEFAULT_BANDS``' shape."""

    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    valid_from = models.DateField(_("valid from"), unique=True)
    bands = models.JSONField(_("bands"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("classification rules")
        verbose_name_plural = _("classification rules")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"v{self.version} ({self.valid_from:%Y-%m-%d})"


class Classification(models.Model):
    """The class of a Kampung KB in a month, with every score, the inputs read and the rules
    version used: a snapshot, so later edits of the rules or the data do not rewrite history
    until the month is classified again."""

    kampung = models.ForeignKey(
        KampungKb,
        verbose_name=_("Kampung KB"),
        on_delete=models.CASCADE,
        related_name="classifications",
    )
    month = models.DateField(_("month"))
    rules = models.ForeignKey(
        ClassificationRules, verbose_name=_("rules"), on_delete=models.PROTECT, related_name="+"
    )
    # The profile version read (None: no profile for the month or before it).
    profile = models.ForeignKey(
        ProfileVersion,
        verbose_name=_("profile version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    input_index = models.DecimalField(_("input index"), max_digits=3, decimal_places=2)
    process_index = models.DecimalField(_("process index"), max_digits=3, decimal_places=2)
    output_index = models.DecimalField(_("output index"), max_digits=3, decimal_places=2)
    klass = models.CharField(_("class"), max_length=16, choices=KampungClass.choices)
    # indicator key -> {"value", "score", "max", "next", "direction"}
    scores = models.JSONField(_("scores"))
    inputs = models.JSONField(_("inputs"))
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    SCOPE_AREA_FIELD = "kampung__village_id"
    HOLDS_PERSONAL_DATA = False

    class Meta:
        verbose_name = _("Kampung KB classification")
        verbose_name_plural = _("Kampung KB classifications")
        ordering = ["kampung_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["kampung", "month"], name="classification_unique"),
            models.CheckConstraint(
                condition=Q(month__day=1), name="classification_month_first_day"
            ),
        ]
        indexes = [models.Index(fields=["month", "klass"], name="classification_month_idx")]

    def __str__(self) -> str:
        return f"{self.kampung_id} {self.month:%Y-%m} {self.klass}"

"""The family register: families (KK), persons, couples (PUS) and pregnancies.

Identity numbers are personal data (UU 27/2022): lists show them masked (``masking.mask_id``).
Records are deactivated, never deleted.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kampungkb.core.models import TimeStampedModel

PUS_MIN_AGE = 15
PUS_MAX_AGE = 49


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Relation(models.TextChoices):
    """Relation to the head of the family, as on the family card (Dukcapil)."""

    HEAD = "head", _("Head of family")
    WIFE = "wife", _("Wife")
    HUSBAND = "husband", _("Husband")
    CHILD = "child", _("Child")
    CHILD_IN_LAW = "child_in_law", _("Son/daughter-in-law")
    GRANDCHILD = "grandchild", _("Grandchild")
    PARENT = "parent", _("Parent")
    PARENT_IN_LAW = "parent_in_law", _("Parent-in-law")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    HOUSEHOLD_HELPER = "household_helper", _("Household helper")
    OTHER = "other", _("Other")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Not married")
    MARRIED = "married", _("Married")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class Education(models.TextChoices):
    """Last education, as on the family card (Dukcapil)."""

    NONE = "none", _("No schooling")
    PRIMARY_INCOMPLETE = "primary_incomplete", _("Primary school not finished")
    PRIMARY = "primary", _("Primary school (SD)")
    JUNIOR_SECONDARY = "junior_secondary", _("Junior secondary (SMP)")
    SENIOR_SECONDARY = "senior_secondary", _("Senior secondary (SMA/SMK)")
    DIPLOMA_1_2 = "diploma_1_2", _("Diploma I/II")
    DIPLOMA_3 = "diploma_3", _("Diploma III")
    BACHELOR = "bachelor", _("Diploma IV/Bachelor (S1)")
    MASTER = "master", _("Master (S2)")
    DOCTORATE = "doctorate", _("Doctorate (S3)")


class CoupleStatus(models.TextChoices):
    MARRIED = "married", _("Married")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class FertilityIntention(models.TextChoices):
    WANTS_CHILD_SOON = "soon", _("Wants a child soon")
    DELAY = "delay", _("Wants to delay (IAT)")
    NO_MORE = "no_more", _("Wants no more children (TIAL)")


class PregnancyOutcome(models.TextChoices):
    LIVE_BIRTH = "live_birth", _("Live birth")
    STILLBIRTH = "stillbirth", _("Stillbirth")
    MISCARRIAGE = "miscarriage", _("Miscarriage")


class WaterSource(models.TextChoices):
    """The family's main drinking-water source (PK21). The first four are decent (DOMAIN.md
    section 5)."""

    BOTTLED = "bottled", _("Bottled or refill water")
    PIPED = "piped", _("Piped water")
    BOREHOLE = "borehole", _("Borehole or pump")
    PROTECTED_WELL = "protected_well", _("Protected well")
    PROTECTED_SPRING = "protected_spring", _("Protected spring")
    UNPROTECTED_WELL = "unprotected_well", _("Unprotected well")
    UNPROTECTED_SPRING = "unprotected_spring", _("Unprotected spring")
    RAIN = "rain", _("Rainwater")
    SURFACE = "surface", _("River, lake or pond")
    OTHER = "other", _("Other")


DECENT_WATER_SOURCES = frozenset(
    {
        WaterSource.BOTTLED,
        WaterSource.PIPED,
        WaterSource.BOREHOLE,
        WaterSource.PROTECTED_WELL,
    }
)


class Latrine(models.TextChoices):
    OWN = "own", _("Own latrine")
    SHARED = "shared", _("Shared latrine")
    PUBLIC = "public", _("Public latrine")
    NONE = "none", _("No latrine")


class FloorMaterial(models.TextChoices):
    CERAMIC = "ceramic", _("Ceramic, marble or granite")
    CEMENT = "cement", _("Cement or tiles")
    WOOD = "wood", _("Wood or boards")
    BAMBOO = "bamboo", _("Bamboo")
    EARTH = "earth", _("Earth")
    OTHER = "other", _("Other")


class WallMaterial(models.TextChoices):
    MASONRY = "masonry", _("Brick or concrete")
    WOOD = "wood", _("Wood or boards")
    BAMBOO = "bamboo", _("Bamboo or woven bamboo")
    OTHER = "other", _("Other")


class RoofMaterial(models.TextChoices):
    TILE = "tile", _("Clay or concrete tiles")
    METAL = "metal", _("Metal or zinc sheets")
    ASBESTOS = "asbestos", _("Asbestos sheets")
    THATCH = "thatch", _("Thatch, palm leaves or sago")
    OTHER = "other", _("Other")


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Age in completed years. A person born on 29 February turns a year older on 1 March."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


class Family(TimeStampedModel):
    # NULL, not "", for a missing number: uniqueness holds only among the numbers recorded.
    kk_number = models.CharField(  # noqa: DJ001
        _("family card number (KK)"), max_length=16, null=True, blank=True
    )
    area = models.ForeignKey(
        "regions.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="families"
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    head = models.ForeignKey(
        "families.Person",
        verbose_name=_("head of family"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The house, as the stunting-risk screening needs it (PK21); blank until recorded.
    water_source = models.CharField(
        _("main drinking-water source"), max_length=20, choices=WaterSource.choices, blank=True
    )
    latrine = models.CharField(_("latrine"), max_length=8, choices=Latrine.choices, blank=True)
    has_septic_tank = models.BooleanField(_("septic tank"), null=True, blank=True)
    floor_area = models.DecimalField(
        _("floor area (m²)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    floor_material = models.CharField(
        _("floor"), max_length=10, choices=FloorMaterial.choices, blank=True
    )
    wall_material = models.CharField(
        _("walls"), max_length=10, choices=WallMaterial.choices, blank=True
    )
    roof_material = models.CharField(
        _("roof"), max_length=10, choices=RoofMaterial.choices, blank=True
    )
    housing_recorded_on = models.DateField(_("house recorded on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    deactivated_reason = models.CharField(_("reason for deactivation"), max_length=200, blank=True)

    SCOPE_AREA_FIELD = "area_id"
    HOLDS_PERSONAL_DATA = True

    class Meta:
        verbose_name = _("family")
        verbose_name_plural = _("families")
        constraints = [
            models.UniqueConstraint(
                fields=["kk_number"], condition=Q(kk_number__isnull=False), name="family_unique_kk"
            ),
            models.CheckConstraint(
                condition=Q(floor_area__isnull=True) | Q(floor_area__gt=0),
                name="family_floor_area_positive",
            ),
            models.CheckConstraint(
                condition=~Q(latrine="none")
                | Q(has_septic_tank__isnull=True)
                | Q(has_septic_tank=False),
                name="family_no_latrine_no_septic_tank",
            ),
        ]
        indexes = [
            models.Index(
                fields=["area"], name="family_area_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"KK {self.kk_number}" if self.kk_number else f"#{self.pk}"


class Person(TimeStampedModel):
    family = models.ForeignKey(
        Family, verbose_name=_("family"), on_delete=models.PROTECT, related_name="members"
    )
    nik = models.CharField(_("NIK"), max_length=16, null=True, blank=True)  # noqa: DJ001
    full_name = models.CharField(_("full name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    birth_place = models.CharField(_("place of birth"), max_length=100, blank=True)
    relation_to_head = models.CharField(
        _("relation to head"), max_length=20, choices=Relation.choices
    )
    marital_status = models.CharField(
        _("marital status"),
        max_length=10,
        choices=MaritalStatus.choices,
        default=MaritalStatus.SINGLE,
    )
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    mother = models.ForeignKey(
        "self",
        verbose_name=_("mother"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children_as_mother",
    )
    father = models.ForeignKey(
        "self",
        verbose_name=_("father"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children_as_father",
    )
    died_on = models.DateField(_("date of death"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    SCOPE_AREA_FIELD = "family__area_id"
    HOLDS_PERSONAL_DATA = True

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.UniqueConstraint(
                fields=["nik"], condition=Q(nik__isnull=False), name="person_unique_nik"
            ),
            models.CheckConstraint(
                condition=Q(died_on__isnull=True) | Q(died_on__gte=F("birth_date")),
                name="person_death_after_birth",
            ),
        ]
        indexes = [models.Index(fields=["full_name"], name="person_name_idx")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def lacks_nik(self) -> bool:
        """Many rural records have no NIK yet; they are kept and flagged for follow-up."""
        return not self.nik

    @property
    def is_alive(self) -> bool:
        return self.died_on is None

    def age_on(self, on: dt.date) -> int:
        return age_on(self.birth_date, on)


class Couple(TimeStampedModel):
    """A marriage. On any date it may be a PUS: married, with the wife aged 15-49."""

    wife = models.ForeignKey(
        Person, verbose_name=_("wife"), on_delete=models.PROTECT, related_name="couples_as_wife"
    )
    husband = models.ForeignKey(
        Person,
        verbose_name=_("husband"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="couples_as_husband",
    )
    married_on = models.DateField(_("marriage date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CoupleStatus.choices, default=CoupleStatus.MARRIED
    )
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    fertility_intention = models.CharField(
        _("fertility intention"), max_length=10, choices=FertilityIntention.choices, blank=True
    )
    intention_recorded_on = models.DateField(_("intention recorded on"), null=True, blank=True)

    SCOPE_AREA_FIELD = "wife__family__area_id"
    HOLDS_PERSONAL_DATA = True

    class Meta:
        verbose_name = _("couple")
        verbose_name_plural = _("couples")
        constraints = [
            models.UniqueConstraint(
                fields=["wife"],
                condition=Q(status=CoupleStatus.MARRIED),
                name="couple_one_current_marriage_per_wife",
            ),
            models.CheckConstraint(
                condition=Q(status=CoupleStatus.MARRIED, ended_on__isnull=True)
                | (~Q(status=CoupleStatus.MARRIED) & Q(ended_on__isnull=False)),
                name="couple_ended_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(married_on__isnull=True)
                | Q(ended_on__gte=F("married_on")),
                name="couple_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(wife=F("husband")), name="couple_wife_is_not_husband"
            ),
        ]

    def __str__(self) -> str:
        husband = self.husband.full_name if self.husband_id and self.husband else "-"
        return f"{self.wife.full_name} & {husband}"

    def is_married_on(self, on: dt.date) -> bool:
        started = self.married_on is None or self.married_on <= on
        not_ended = self.ended_on is None or self.ended_on > on
        return started and not_ended

    def wife_age_on(self, on: dt.date) -> int:
        return self.wife.age_on(on)

    def is_pus_on(self, on: dt.date) -> bool:
        """A PUS on ``on``: married then, wife aged 15-49 then and alive."""
        wife = self.wife
        if wife.died_on is not None and wife.died_on <= on:
            return False
        return self.is_married_on(on) and PUS_MIN_AGE <= wife.age_on(on) <= PUS_MAX_AGE


class Pregnancy(TimeStampedModel):
    couple = models.ForeignKey(
        Couple, verbose_name=_("couple"), on_delete=models.PROTECT, related_name="pregnancies"
    )
    recorded_on = models.DateField(_("recorded on"))
    expected_on = models.DateField(_("expected delivery date"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=PregnancyOutcome.choices, blank=True
    )

    SCOPE_AREA_FIELD = "couple__wife__family__area_id"
    HOLDS_PERSONAL_DATA = True

    class Meta:
        verbose_name = _("pregnancy")
        verbose_name_plural = _("pregnancies")
        constraints = [
            models.UniqueConstraint(
                fields=["couple"],
                condition=Q(ended_on__isnull=True),
                name="pregnancy_one_open_per_couple",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, outcome="")
                | Q(ended_on__isnull=False, ended_on__gte=F("recorded_on")) & ~Q(outcome=""),
                name="pregnancy_end_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.couple} {self.recorded_on}"

    def is_ongoing_on(self, on: dt.date) -> bool:
        return self.recorded_on <= on and (self.ended_on is None or self.ended_on > on)

"""Likert-scale survey instruments, surveys of a sample drawn from the register, and answers
(decision 0031).

An instrument is a versioned list of items, each measuring one dimension of participation or
agreeing with one barrier, answered on a fixed five-point scale. Once a survey holds answers to
an instrument, the instrument is frozen: a new version is a copy. A survey draws its respondents
at random (a recorded seed) from the PUS couples of an area's subtree on a date.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kampungkb.core.models import TimeStampedModel
from kampungkb.participation.barriers import BarrierCode
from kampungkb.participation.dimensions import Dimension

# An XLSForm name: a letter, then letters, digits or underscores.
ITEM_CODE_PATTERN = r"^[a-z][a-z0-9_]{0,31}$"


class Likert(models.IntegerChoices):
    STRONGLY_DISAGREE = 1, _("Strongly disagree")
    DISAGREE = 2, _("Disagree")
    NEUTRAL = 3, _("Neither agree nor disagree")
    AGREE = 4, _("Agree")
    STRONGLY_AGREE = 5, _("Strongly agree")


class Draw(models.TextChoices):
    WIVES = "wife", _("Wives of PUS couples")
    HUSBANDS = "husband", _("Husbands of PUS couples")


class RespondentStatus(models.TextChoices):
    PENDING = "pending", _("Not yet asked")
    ANSWERED = "answered", _("Answered")
    REFUSED = "refused", _("Refused")
    NOT_FOUND = "not_found", _("Not found")


class Instrument(TimeStampedModel):
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_default = models.BooleanField(_("default instrument"), default=False)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("survey instrument")
        verbose_name_plural = _("survey instruments")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "version"], name="participation_instrument_version"
            ),
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="participation_one_default_instrument",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="participation_instrument_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Item(models.Model):
    """One statement of an instrument: it measures a dimension, or agrees with a barrier."""

    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(
        _("code"),
        max_length=32,
        validators=[RegexValidator(ITEM_CODE_PATTERN)],
        help_text=_("Lower-case letters, digits and _, starting with a letter (e.g. m1)."),
    )
    text = models.CharField(_("statement (Bahasa Indonesia)"), max_length=300)
    text_en = models.CharField(_("statement (English)"), max_length=300, blank=True)
    dimension = models.CharField(
        _("dimension"), max_length=16, choices=Dimension.choices, blank=True
    )
    barrier = models.CharField(_("barrier"), max_length=20, choices=BarrierCode.choices, blank=True)
    reverse = models.BooleanField(
        _("reverse-scored"),
        default=False,
        help_text=_("Agreeing means less participation: scored as 6 minus the answer."),
    )

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["instrument_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="participation_item_code"),
            models.CheckConstraint(
                condition=(~Q(dimension="") & Q(barrier="")) | (Q(dimension="") & ~Q(barrier="")),
                name="participation_item_measures_one",
            ),
            models.CheckConstraint(
                condition=Q(code__regex=ITEM_CODE_PATTERN), name="participation_item_code_safe"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"

    @property
    def measures(self) -> str:
        return self.dimension or self.barrier

    def measures_label(self) -> str:
        if self.dimension:
            return str(Dimension(self.dimension).label)
        return str(BarrierCode(self.barrier).label)


class Survey(TimeStampedModel):
    """A survey of a random sample of the PUS of an area's subtree, drawn on ``drawn_on``."""

    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="surveys"
    )
    area = models.ForeignKey(
        "regions.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))  # the first day of the month
    drawn_on = models.DateField(_("sample drawn on"))
    draw = models.CharField(_("respondents"), max_length=8, choices=Draw.choices)
    sample_size = models.PositiveIntegerField(_("sample size"))
    population = models.PositiveIntegerField(_("PUS in the area on the day"))
    seed = models.BigIntegerField(_("random seed"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    SCOPE_AREA_FIELD = "area_id"
    HOLDS_PERSONAL_DATA = False

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-month", "area_id", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sample_size__gte=1) & Q(sample_size__lte=models.F("population")),
                name="participation_survey_sample_in_population",
            ),
        ]
        indexes = [
            models.Index(
                fields=["area"],
                name="participation_survey_area_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.area_id} {self.month:%Y-%m}"


class Respondent(models.Model):
    """One person drawn into a survey, with a short code that matches XLSForm submissions."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="respondents"
    )
    code = models.CharField(_("code"), max_length=12)
    position = models.PositiveIntegerField(_("order drawn"))
    couple = models.ForeignKey(
        "families.Couple", verbose_name=_("couple"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "families.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    # The family's area on the day drawn (RT or village), for scope and sub-area tables.
    area = models.ForeignKey(
        "regions.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RespondentStatus.choices,
        default=RespondentStatus.PENDING,
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    SCOPE_AREA_FIELD = "area_id"
    HOLDS_PERSONAL_DATA = True

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        ordering = ["survey_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "code"], name="participation_respondent_code"
            ),
            models.UniqueConstraint(
                fields=["survey", "person"], name="participation_respondent_once"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Answer(models.Model):
    respondent = models.ForeignKey(
        Respondent, verbose_name=_("respondent"), on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="answers"
    )
    value = models.PositiveSmallIntegerField(
        _("answer"),
        choices=Likert.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "item"], name="participation_answer_once"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=1) & Q(value__lte=5), name="participation_answer_likert"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.respondent_id} {self.item_id}={self.value}"

"""Partner organisations, their contacts, the areas they serve, their users, MoUs and commitments.

What a partner delivered (joint activities, people reached, contributions in Rupiah) is recorded
on the activities themselves (``activities.ActivityPartner``, ``activities.PartnerContribution``):
this app sits below ``activities`` so that an activity can name its partners.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kampungkb.core.models import TimeStampedModel


class PartnerKind(models.TextChoices):
    RELIGIOUS = "religious", _("Religious organisation")
    STATE_COMPANY = "state_company", _("State-owned company (BUMN)")
    PRIVATE_COMPANY = "private_company", _("Private company")
    NGO = "ngo", _("Non-governmental organisation")
    UNIVERSITY = "university", _("University")
    GOVERNMENT = "government", _("Government sector")
    PKK = "pkk", _("PKK")
    COMMUNITY_LEADERS = "community_leaders", _("Community leaders")


class Partner(TimeStampedModel):
    """An organisation that works with the programme. ``area`` is the office that registered it
    (its scope); ``areas_served`` are the areas where it works."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=24, choices=PartnerKind.choices)
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    area = models.ForeignKey(
        "regions.Area",
        verbose_name=_("registered by (area)"),
        on_delete=models.PROTECT,
        related_name="registered_partners",
    )
    areas_served = models.ManyToManyField(
        "regions.Area", verbose_name=_("areas served"), blank=True, related_name="partners_serving"
    )
    is_active = models.BooleanField(_("active"), default=True)

    SCOPE_AREA_FIELD = "area_id"

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="partner_unique_name_in_area"),
        ]
        indexes = [
            models.Index(
                fields=["area"], name="partner_area_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PartnerContact(TimeStampedModel):
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class PartnerMembership(models.Model):
    """A user with the partner role who speaks for this partner: sees its own activities and
    aggregates only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="partner_membership",
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="memberships"
    )

    class Meta:
        verbose_name = _("partner user")
        verbose_name_plural = _("partner users")

    def __str__(self) -> str:
        return f"{self.user} @ {self.partner}"


class Mou(TimeStampedModel):
    """A memorandum of understanding (nota kesepahaman / perjanjian kerja sama). A renewal is a new
    MoU pointing to the one it renews, so the history stays."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="mous"
    )
    area = models.ForeignKey(
        "regions.Area", verbose_name=_("area covered"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("number"), max_length=100)
    title = models.CharField(_("title"), max_length=255)
    parties = models.TextField(_("parties"))
    signed_on = models.DateField(_("signing date"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    scope = models.TextField(_("scope"), blank=True)
    document = models.FileField(_("document"), upload_to="mous/%Y/", blank=True)
    renews = models.OneToOneField(
        "self",
        verbose_name=_("renews"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewed_by",
    )

    SCOPE_AREA_FIELD = "area_id"

    class Meta:
        verbose_name = _("MoU")
        verbose_name_plural = _("MoUs")
        ordering = ["-valid_until", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "number"], name="mou_unique_number"),
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")), name="mou_valid_in_order"
            ),
        ]
        indexes = [
            models.Index(
                fields=["area"], name="mou_area_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["valid_until"], name="mou_valid_until_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class CommitmentMeasure(models.TextChoices):
    ACTIVITIES = "activities", _("Joint activities held")
    PEOPLE_REACHED = "people_reached", _("People reached")
    VALUE = "value", _("Contribution value (Rupiah)")
    VILLAGES = "villages", _("Villages served")


class Commitment(TimeStampedModel):
    """What a partner promised under an MoU, with a number that delivery is measured against."""

    mou = models.ForeignKey(
        Mou, verbose_name=_("MoU"), on_delete=models.CASCADE, related_name="commitments"
    )
    description = models.CharField(_("description"), max_length=255)
    measure = models.CharField(_("measure"), max_length=16, choices=CommitmentMeasure.choices)
    target = models.PositiveBigIntegerField(_("target"))

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class AlertThreshold(models.IntegerChoices):
    DAYS_60 = 60, _("60 days before expiry")
    DAYS_30 = 30, _("30 days before expiry")


class MouAlert(models.Model):
    """An expiry alert sent for an MoU, once per threshold (decision 0021): a rerun of the daily
    command finds it here and sends nothing twice."""

    mou = models.ForeignKey(
        Mou, verbose_name=_("MoU"), on_delete=models.CASCADE, related_name="alerts"
    )
    threshold = models.PositiveSmallIntegerField(_("threshold"), choices=AlertThreshold.choices)
    sent_on = models.DateField(_("sent on"))
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("MoU expiry alert")
        verbose_name_plural = _("MoU expiry alerts")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["mou", "threshold"], name="mou_alert_once"),
        ]

    def __str__(self) -> str:
        return f"{self.mou_id} {self.threshold}d"

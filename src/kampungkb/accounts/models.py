"""Users, their role assignments (each bound to an area) and API tokens."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    DISTRICT_OFFICER = "district_officer", _("District officer (OPD KB)")
    PKB_OFFICER = "pkb_officer", _("Extension officer (PKB/PLKB)")
    CADRE = "cadre", _("Cadre (PPKBD/Sub-PPKBD/kader)")
    PARTNER = "partner", _("Partner")
    VIEWER = "viewer", _("Viewer/researcher")


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="id"
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """A role in an area. An administrator's assignment has no area (the nation); a viewer's or a
    partner's may have none too (national aggregates)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    area = models.ForeignKey(
        "regions.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "area"], name="assignment_unique_role_area"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(area__isnull=True),
                name="assignment_unique_national_role",
            ),
            models.CheckConstraint(
                condition=Q(area__isnull=False)
                | Q(role__in=[Role.ADMIN, Role.VIEWER, Role.PARTNER]),
                name="assignment_area_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} - {self.area_id or '*'}"


class ApiToken(models.Model):
    """A machine's credential. Only a hash of the secret is stored; the secret is shown once."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=12)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}... ({self.user})"

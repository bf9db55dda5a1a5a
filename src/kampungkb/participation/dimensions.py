"""The three dimensions of participation (DOMAIN.md section 6): interest (minat), activeness
(keaktifan) and contribution (kontribusi). The record-based index, surveys and field notes all
score or code against these."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    INTEREST = "interest", _("Interest")
    ACTIVENESS = "activeness", _("Activeness")
    CONTRIBUTION = "contribution", _("Contribution")

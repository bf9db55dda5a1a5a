from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The navigation's label of the stunting-risk pages (translated in this app's catalogue).
NAV_LABEL = _("Stunting risk")


class StuntingConfig(AppConfig):
    name = "kampungkb.stunting"
    label = "stunting"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The navigation's label of the Kampung KB pages (translated in this app's catalogue).
NAV_LABEL = _("Kampung KB")


class KampungConfig(AppConfig):
    name = "kampungkb.kampung"
    label = "kampung"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The navigation's label of the cadre pages (translated in this app's catalogue).
NAV_LABEL = _("Cadres")


class CadresConfig(AppConfig):
    name = "kampungkb.cadres"
    label = "cadres"

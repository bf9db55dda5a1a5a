from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The navigation's label of the barrier pages (translated in this app's catalogue: "Hambatan").
NAV_LABEL = _("Barriers")


class ParticipationConfig(AppConfig):
    name = "kampungkb.participation"
    label = "participation"

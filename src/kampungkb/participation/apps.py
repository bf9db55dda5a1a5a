from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The navigation's label of the participation pages (translated in this app's catalogue:
# "Partisipasi"); the barriers, surveys and field notes are reached from the index page.
NAV_LABEL = _("Participation")


class ParticipationConfig(AppConfig):
    name = "kampungkb.participation"
    label = "participation"

    def ready(self) -> None:
        # The fill engine computes the index with the other indicators (decision 0035).
        from kampungkb.indicators import sources
        from kampungkb.participation.index import IndexDerivation
        from kampungkb.participation.index_sources import ParticipationSource

        sources.register_source(ParticipationSource())
        sources.register_derivation(IndexDerivation())

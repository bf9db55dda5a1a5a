from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The navigation's label of the cadre pages (translated in this app's catalogue).
NAV_LABEL = _("Cadres")


class CadresConfig(AppConfig):
    name = "kampungkb.cadres"
    label = "cadres"

    def ready(self) -> None:
        from kampungkb.cadres.tpk_facts import TpkCoverageSource
        from kampungkb.cadres.tpk_services import tpk_follow_couples
        from kampungkb.core.hooks import subscribe_couple_changed
        from kampungkb.indicators import sources

        # A pregnancy a TPK follows that ends closes its assignment (decision 0036).
        subscribe_couple_changed(tpk_follow_couples)
        # The fill engine writes the TPK coverage as monthly facts (decision 0040).
        sources.register_source(TpkCoverageSource())

from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "kampungkb.indicators"
    label = "indicators"

    def ready(self) -> None:
        from kampungkb.core.hooks import (
            subscribe_area_changed,
            subscribe_contraception_changing,
        )
        from kampungkb.indicators.fill import marks_add_for_change, marks_add_for_couples

        subscribe_area_changed(marks_add_for_change)
        subscribe_contraception_changing(marks_add_for_couples)

from django.apps import AppConfig


class ContraceptionConfig(AppConfig):
    name = "kampungkb.contraception"
    label = "contraception"

    def ready(self) -> None:
        from kampungkb.contraception.services import episodes_rebuild_couples
        from kampungkb.core.hooks import subscribe_couple_changed

        subscribe_couple_changed(episodes_rebuild_couples)

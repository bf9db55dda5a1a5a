from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kampungkb.core"
    label = "core"
    verbose_name = "Core"

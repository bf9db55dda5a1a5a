from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "kampungkb.regions"
    label = "regions"

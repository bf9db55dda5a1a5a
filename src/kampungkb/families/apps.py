from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "kampungkb.families"
    label = "families"

from django.apps import AppConfig


class KampungConfig(AppConfig):
    name = "kampungkb.kampung"
    label = "kampung"

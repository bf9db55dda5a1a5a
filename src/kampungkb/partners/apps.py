from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "kampungkb.partners"
    label = "partners"

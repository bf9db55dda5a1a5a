from django.apps import AppConfig


class ContraceptionConfig(AppConfig):
    name = "kampungkb.contraception"
    label = "contraception"

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "kampungkb.web"
    label = "web"

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "kampungkb.demo"
    label = "demo"

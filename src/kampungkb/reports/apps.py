from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "kampungkb.reports"
    label = "reports"

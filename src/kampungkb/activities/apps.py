from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "kampungkb.activities"
    label = "activities"

from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "thb.activities"
    label = "activities"

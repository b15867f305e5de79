from django.apps import AppConfig


class JusticeConfig(AppConfig):
    name = "thb.justice"
    label = "justice"

from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "thb.support"
    label = "support"

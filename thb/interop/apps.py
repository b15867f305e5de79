from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "thb.interop"
    label = "interop"

from django.apps import AppConfig


class VictimsConfig(AppConfig):
    name = "thb.victims"
    label = "victims"

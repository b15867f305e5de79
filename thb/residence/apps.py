from django.apps import AppConfig


class ResidenceConfig(AppConfig):
    name = "thb.residence"
    label = "residence"

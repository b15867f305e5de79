from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "thb.reports"
    label = "reports"

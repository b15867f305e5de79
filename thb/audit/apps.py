from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "thb.audit"
    label = "audit"

"""The JSON API under /api/v1/ (django-ninja; OpenAPI at /api/v1/docs).

Each domain app adds its router here. Session authentication for the browser;
institutions' systems use the same accounts.
"""

from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(
    title="THB API",
    version="1",
    description="Counter-trafficking information system: victims, support, justice, "
    "prevention and the annual report. Every endpoint is scoped to the caller's role "
    "and institution.",
    auth=django_auth,
    urls_namespace="api",
)


def _add_routers() -> None:
    from thb.activities.api import router as activities_router
    from thb.justice.api import router as justice_router
    from thb.reports.api import router as reports_router
    from thb.residence.api import router as residence_router
    from thb.support.api import router as support_router
    from thb.victims.api import router as victims_router

    api.add_router("/cases", victims_router)
    api.add_router("/activities", activities_router)
    api.add_router("/justice", justice_router)
    api.add_router("/reports", reports_router)
    api.add_router("/residence", residence_router)
    api.add_router("/support", support_router)


_add_routers()

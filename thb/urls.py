from django.contrib import admin
from django.urls import include, path

from thb.api import api

urlpatterns = [
    path("", include("thb.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("thb.accounts.urls")),
    path("cases/", include("thb.victims.urls")),
    path("screening/", include("thb.screening.urls")),
    path("support/", include("thb.support.urls")),
    path("residence/", include("thb.residence.urls")),
    path("returns/", include("thb.returns.urls")),
    path("justice/", include("thb.justice.urls")),
    path("activities/", include("thb.activities.urls")),
    path("import/", include("thb.interop.urls")),
    path("referrals/", include("thb.referrals.urls")),
    path("commission/", include("thb.commission.urls")),
    path("linkage/", include("thb.linkage.urls")),
    path("reports/", include("thb.reports.urls")),
    path("audit/", include("thb.audit.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "thb.core.views.bad_request"
handler403 = "thb.core.views.permission_denied"
handler404 = "thb.core.views.page_not_found"
handler500 = "thb.core.views.server_error"

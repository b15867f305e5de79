from django.urls import path

from thb.support import views

app_name = "support"
urlpatterns = [
    path("", views.index, name="index"),
    path("funding/", views.funding, name="funding"),
    path("funding/contracts/new/", views.contract_create, name="contract_create"),
    path("funding/costs/new/", views.other_cost_create, name="other_cost_create"),
    path("compensation/", views.compensation, name="compensation"),
    # The residence app links here by case code: {% url 'support:plan' code %}.
    path("plans/<str:code>/", views.plan_detail, name="plan"),
    path("plans/<str:code>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<str:code>/services/", views.service_log, name="services"),
]

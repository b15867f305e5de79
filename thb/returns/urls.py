from django.urls import path

from thb.returns import views

app_name = "returns"
urlpatterns = [
    path("steps/", views.steps, name="steps"),
    path("<str:code>/", views.plan, name="plan"),
    path("<str:code>/edit/", views.plan_edit, name="plan_edit"),
    path("<str:code>/steps/<slug:kind>/", views.step, name="step"),
    path("<str:code>/costs/new/", views.cost, name="cost"),
]

from django.urls import path

from thb.screening import views

app_name = "screening"
urlpatterns = [
    path("cases/<str:code>/", views.case_screening, name="case_screening"),
]

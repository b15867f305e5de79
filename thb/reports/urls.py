from django.urls import path

from thb.reports import views

app_name = "reports"
urlpatterns = [
    path("statistics/", views.statistics, name="statistics"),
    path("public/", views.public_statistics, name="public_statistics"),
]

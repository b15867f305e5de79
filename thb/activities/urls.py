from django.urls import path
from django.views.generic import RedirectView

from thb.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.home, name="home"),
    # The statistics are a view of the annual report's renderer (thb/reports).
    path(
        "statistics/",
        RedirectView.as_view(url="/reports/statistics/activities/", query_string=True),
        name="statistics",
    ),
    path("<slug:slug>/", views.record_list_view, name="record_list"),
    path("<slug:slug>/new/", views.record_create, name="record_create"),
    path("<slug:slug>/<int:pk>/", views.record_detail, name="record_detail"),
    path("<slug:slug>/<int:pk>/edit/", views.record_edit, name="record_edit"),
]

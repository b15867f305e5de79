from django.urls import path

from thb.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.home, name="home"),
    path("statistics/", views.statistics, name="statistics"),
    path("<slug:slug>/", views.record_list_view, name="record_list"),
    path("<slug:slug>/new/", views.record_create, name="record_create"),
    path("<slug:slug>/<int:pk>/", views.record_detail, name="record_detail"),
    path("<slug:slug>/<int:pk>/edit/", views.record_edit, name="record_edit"),
]

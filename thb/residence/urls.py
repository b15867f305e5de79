from django.urls import path

from thb.residence import views

app_name = "residence"
urlpatterns = [
    path("deadlines/", views.deadlines, name="deadlines"),
    path("requests/<int:pk>/permit/", views.permit, name="permit"),
    path("<str:code>/", views.track, name="track"),
    path("<str:code>/information/", views.information, name="information"),
    path("<str:code>/application/", views.application, name="application"),
    path("<str:code>/decision/", views.decision, name="decision"),
    path("<str:code>/evaluation/", views.evaluation, name="evaluation"),
    path("<str:code>/permit-request/", views.permit_request, name="permit_request"),
]

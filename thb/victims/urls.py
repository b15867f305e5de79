from django.urls import path

from thb.victims import views

app_name = "victims"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_create, name="case_create"),
    path("<str:code>/", views.case_detail, name="case_detail"),
    path("<str:code>/profile/", views.case_profile_edit, name="case_profile_edit"),
    path("<str:code>/decision/", views.case_decision, name="case_decision"),
    path("<str:code>/routing/", views.case_routing, name="case_routing"),
]

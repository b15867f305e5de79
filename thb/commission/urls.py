from django.urls import path

from thb.commission import views

app_name = "commission"
urlpatterns = [
    path("", views.index, name="index"),
    path("cases/<str:code>/submit/", views.submit, name="submit"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/agenda/", views.meeting_agenda, name="meeting_agenda"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
]

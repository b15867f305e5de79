from django.urls import path

from thb.linkage import views

app_name = "linkage"
urlpatterns = [
    path("", views.candidate_index, name="list"),
    path("<int:pk>/", views.candidate_detail, name="detail"),
]

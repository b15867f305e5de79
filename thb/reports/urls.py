from django.urls import path

from thb.reports import views

app_name = "reports"
urlpatterns = [
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/<slug:topic>/", views.statistics, name="topic_statistics"),
    path("public/", views.public_statistics, name="public_statistics"),
    path("public/download/", views.public_download, name="public_download"),
    path("annual/", views.annual, name="annual"),
    path("annual/texts/", views.chapter_texts, name="chapter_texts"),
    path("annual/freeze/", views.freeze, name="freeze"),
    path("annual/reopen/", views.reopen, name="reopen"),
    path("catalogue/", views.catalogue, name="catalogue"),
]

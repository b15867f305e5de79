from django.urls import path

from thb.interop import views

app_name = "interop"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/status/", views.job_status, name="job_status"),
    path("templates/<slug:name>.csv", views.template_csv, name="template_csv"),
    path("templates/<slug:name>.xlsx", views.template_xlsx, name="template_xlsx"),
    path("submission/", views.my_submission_default, name="my_submission_default"),
    path("submission/<int:year>/", views.my_submission, name="my_submission"),
    path("submissions/", views.overview, name="overview"),
    path("submissions/<int:pk>/", views.review, name="review"),
]

from django.urls import path

from thb.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_index, name="list"),
    path("new/", views.referral_create, name="create"),
    path("anonymous/", views.notification_create, name="notify"),
    path("<str:reference>/", views.referral_detail, name="detail"),
    path("<str:reference>/decline/", views.referral_decline, name="decline"),
    path("<str:reference>/accept/", views.referral_accept, name="accept"),
]

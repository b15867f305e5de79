from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from thb.accounts import views

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("two-factor/", views.otp_setup, name="otp_setup"),
    path("two-factor/off/", views.otp_disable, name="otp_disable"),
    path("two-factor/verify/", views.otp_verify, name="otp_verify"),
    path("two-factor/recovery-codes/", views.otp_recovery_codes, name="otp_recovery_codes"),
    path("setup/<str:token>/", views.setup_link, name="setup_link"),
    path("administration/users/", views.admin_users, name="admin_users"),
    path("administration/users/new/", views.admin_user_new, name="admin_user_new"),
    path("administration/users/links/", views.admin_links, name="admin_links"),
    path("administration/users/<str:username>/", views.admin_user, name="admin_user"),
    path(
        "administration/users/<str:username>/active/",
        views.admin_user_active,
        name="admin_user_active",
    ),
    path(
        "administration/users/<str:username>/link/",
        views.admin_user_link,
        name="admin_user_link",
    ),
    path("administration/institutions/", views.admin_institutions, name="admin_institutions"),
    path(
        "administration/institutions/new/",
        views.admin_institution_new,
        name="admin_institution_new",
    ),
    path(
        "administration/institutions/<slug:code>/",
        views.admin_institution,
        name="admin_institution",
    ),
]

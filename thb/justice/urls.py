from django.urls import path
from django.views.generic import RedirectView

from thb.justice import views

app_name = "justice"
urlpatterns = [
    path("", views.proceeding_list, name="proceeding_list"),
    path("new/", views.proceeding_create, name="proceeding_create"),
    # The statistics are a view of the annual report's renderer (thb/reports).
    path(
        "statistics/",
        RedirectView.as_view(url="/reports/statistics/justice/", query_string=True),
        name="statistics",
    ),
    path("non-punishment/", views.non_punishment_list, name="non_punishment_list"),
    path("non-punishment/new/", views.non_punishment_create, name="non_punishment_create"),
    path("<int:pk>/", views.proceeding_detail, name="proceeding_detail"),
    path("<int:pk>/edit/", views.proceeding_edit, name="proceeding_edit"),
    path("<int:pk>/injured-parties/new/", views.injured_party_add, name="injured_party_add"),
    path("<int:pk>/suspects/new/", views.suspect_add, name="suspect_add"),
    path("<int:pk>/property/new/", views.property_add, name="property_add"),
    path("<int:pk>/stages/new/", views.stage_add, name="stage_add"),
    path("<int:pk>/judgments/new/", views.judgment_add, name="judgment_add"),
]

from django.urls import path

from kampungkb.reports import partner_views, views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("recap/", views.recap, name="recap"),
    path("partners/<int:pk>/", partner_views.partner_page, name="partner"),
]

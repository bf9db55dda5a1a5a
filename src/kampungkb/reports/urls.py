from django.urls import path

from kampungkb.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("recap/", views.recap, name="recap"),
]

from django.urls import path

from kampungkb.reports import views

app_name = "reports"
urlpatterns = [
    path("recap/", views.recap, name="recap"),
]

from django.urls import path

from kampungkb.participation import views

app_name = "participation"
urlpatterns = [
    path("barriers/", views.barriers, name="barriers"),
]

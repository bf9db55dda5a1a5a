from django.urls import path

from kampungkb.stunting import views

app_name = "stunting"
urlpatterns = [
    path("at-risk/", views.at_risk, name="at_risk"),
    path("families/<int:pk>/", views.family, name="family"),
]

from django.urls import path

from kampungkb.kampung import views

app_name = "kampung"
urlpatterns = [
    path("", views.kampung_list, name="list"),
    path("map/", views.kampung_map, name="map"),
    path("new/", views.kampung_register, name="register"),
    path("<int:pk>/", views.kampung_detail, name="detail"),
    path("<int:pk>/edit/", views.kampung_edit, name="edit"),
    path("<int:pk>/profile/", views.profile_edit, name="profile"),
    path("<int:pk>/profile/<int:version_pk>/", views.profile_version, name="profile_version"),
]

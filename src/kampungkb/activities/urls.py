from django.urls import path

from kampungkb.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_new, name="new"),
    path("plan/", views.activity_plan, name="plan"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/delete/", views.activity_delete, name="delete"),
    path("<int:pk>/hold/", views.activity_hold, name="hold"),
    path("<int:pk>/cancel/", views.activity_cancel, name="cancel"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/attendees/", views.attendee_export, name="attendee_export"),
    path("<int:pk>/counts/", views.attendance_counts, name="counts"),
    path("<int:pk>/contributions/new/", views.contribution_new, name="contribution_new"),
    path("contributions/<int:pk>/delete/", views.contribution_delete, name="contribution_delete"),
    path("<int:pk>/partners/", views.partner_set, name="partner_set"),
    path(
        "<int:pk>/partners/<int:partner_id>/remove/",
        views.partner_remove,
        name="partner_remove",
    ),
    path("<int:pk>/photos/new/", views.photo_new, name="photo_new"),
    path("photos/<int:pk>/", views.photo_file, name="photo"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
    path("poktan/", views.poktan_list, name="poktan_list"),
    path("poktan/new/", views.poktan_new, name="poktan_new"),
    path("poktan/<int:pk>/", views.poktan_detail, name="poktan_detail"),
    path("poktan/<int:pk>/edit/", views.poktan_edit, name="poktan_edit"),
    path("poktan/<int:pk>/deactivate/", views.poktan_deactivate, name="poktan_deactivate"),
    path("poktan/<int:pk>/members/", views.member_export, name="member_export"),
    path("poktan/<int:pk>/members/new/", views.member_new, name="member_new"),
    path("poktan/members/<int:pk>/end/", views.member_end, name="member_end"),
]

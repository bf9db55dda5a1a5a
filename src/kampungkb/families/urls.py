from django.urls import path

from kampungkb.families import views

app_name = "families"
urlpatterns = [
    path("", views.family_list, name="list"),
    path("new/", views.family_register, name="register"),
    path("<int:pk>/", views.family_detail, name="detail"),
    path("<int:pk>/edit/", views.family_edit, name="edit"),
    path("<int:pk>/move/", views.family_move, name="move"),
    path("<int:pk>/housing/", views.family_housing, name="housing"),
    path("<int:pk>/deactivate/", views.family_deactivate, name="deactivate"),
    path("<int:pk>/members/new/", views.member_add, name="member_add"),
    path("<int:pk>/births/new/", views.birth_add, name="birth_add"),
    path("<int:pk>/marriages/new/", views.couple_add, name="couple_add"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/death/", views.member_death, name="member_death"),
    path("couples/<int:pk>/divorce/", views.couple_divorce, name="couple_divorce"),
    path("couples/<int:pk>/intention/", views.couple_intention, name="couple_intention"),
    path("couples/<int:pk>/pregnancies/new/", views.pregnancy_add, name="pregnancy_add"),
    path("pregnancies/<int:pk>/end/", views.pregnancy_end, name="pregnancy_end"),
]

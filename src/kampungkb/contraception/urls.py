from django.urls import path

from kampungkb.contraception import views

app_name = "contraception"
urlpatterns = [
    path("due/", views.due_list, name="due"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("dropouts/", views.dropout_list, name="dropouts"),
    path("couples/<int:pk>/", views.couple_detail, name="couple"),
    path("couples/<int:pk>/visits/new/", views.visit_new, name="visit_new"),
    path("couples/<int:pk>/followups/new/", views.followup_new, name="followup_new"),
    path("facilities/", views.facility_list, name="facilities"),
    path("facilities/new/", views.facility_new, name="facility_new"),
    path("facilities/<int:pk>/edit/", views.facility_edit, name="facility_edit"),
    path("methods/", views.method_list, name="methods"),
]

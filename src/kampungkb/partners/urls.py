from django.urls import path

from kampungkb.partners import views

app_name = "partners"
urlpatterns = [
    path("", views.partner_list, name="list"),
    path("new/", views.partner_create, name="create"),
    path("<int:pk>/edit/", views.partner_edit, name="edit"),
    path("<int:pk>/deactivate/", views.partner_deactivate, name="deactivate"),
    path("<int:pk>/contacts/", views.partner_contacts, name="contacts"),
    path("<int:pk>/contacts/new/", views.contact_add, name="contact_add"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/remove/", views.contact_remove, name="contact_remove"),
    path("<int:pk>/users/new/", views.partner_user_add, name="user_add"),
    path("users/<int:pk>/remove/", views.partner_user_remove, name="user_remove"),
    path("<int:pk>/mous/new/", views.mou_create, name="mou_create"),
    path("mous/", views.mou_list, name="mou_list"),
    path("mous/<int:pk>/", views.mou_detail, name="mou_detail"),
    path("mous/<int:pk>/edit/", views.mou_edit, name="mou_edit"),
    path("mous/<int:pk>/renew/", views.mou_renew, name="mou_renew"),
    path("mous/<int:pk>/document/", views.mou_document, name="mou_document"),
]

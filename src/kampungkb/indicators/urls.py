from django.urls import path

from kampungkb.indicators import views

app_name = "targets"
urlpatterns = [
    path("", views.targets_page, name="page"),
    path("edit/", views.targets_edit, name="edit"),
    path("template/", views.targets_template, name="template"),
    path("import/", views.targets_import, name="import"),
]

from django.urls import path, re_path

from kampungkb.regions import views

app_name = "regions"
# Kemendagri codes and local codes: digit groups joined by dots (64.02.08.2005.001.002).
CODE = r"(?P<code>\d{1,4}(?:\.\d{1,4}){0,7})"
urlpatterns = [
    path("", views.browse, name="browse"),
    re_path(rf"^{CODE}/$", views.area_detail, name="area"),
    re_path(rf"^{CODE}/add/$", views.area_add, name="add"),
]

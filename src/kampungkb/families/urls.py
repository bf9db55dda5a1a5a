from django.urls import path

from kampungkb.web import views as web_views

app_name = "families"
# Replaced by the family register pages.
urlpatterns = [path("", web_views.home, name="list")]

from django.urls import path

from kampungkb.web import views as web_views

app_name = "regions"
# Replaced by the area pages (browse, search, add RW/RT).
urlpatterns = [path("", web_views.home, name="browse")]

from django.urls import path

from kampungkb.stunting import views, views_brides, views_growth, views_mothers

app_name = "stunting"
urlpatterns = [
    path("at-risk/", views.at_risk, name="at_risk"),
    path("families/<int:pk>/", views.family, name="family"),
    path("mothers/", views_mothers.mothers, name="mothers"),
    path("brides/", views_brides.brides, name="brides"),
    path("brides/new/", views_brides.bride_new, name="bride_new"),
    path("brides/<int:pk>/", views_brides.bride, name="bride"),
    path("children/", views_growth.children, name="children"),
    path("children/<int:pk>/", views_growth.child, name="child"),
    path("measurements/<int:pk>/edit/", views_growth.measurement_edit, name="measure_edit"),
    path("measurements/<int:pk>/delete/", views_growth.measurement_delete, name="measure_delete"),
]

from django.contrib import admin

from kampungkb.activities.models import Activity, Poktan


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("held_on", "title", "kind", "area", "status")
    list_filter = ("kind", "status")
    search_fields = ("title", "organiser")
    raw_id_fields = ("area", "poktan", "recorded_by")


@admin.register(Poktan)
class PoktanAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "area", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    raw_id_fields = ("area",)

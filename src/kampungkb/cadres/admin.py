from django.contrib import admin

from kampungkb.cadres.models import Cadre, CadreRegistration, KnowledgeTest, Question, TpkTeam


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("code", "topic", "text", "correct", "is_active")
    list_filter = ("topic", "is_active")
    search_fields = ("code", "text")


@admin.register(Cadre)
class CadreAdmin(admin.ModelAdmin):
    list_display = ("person", "role", "area", "started_on", "is_active")
    list_filter = ("role", "is_active")
    raw_id_fields = ("person", "area", "tpk_team", "recorded_by")
    search_fields = ("person__full_name",)


@admin.register(TpkTeam)
class TpkTeamAdmin(admin.ModelAdmin):
    list_display = ("name", "village", "is_active")
    raw_id_fields = ("village",)


@admin.register(CadreRegistration)
class CadreRegistrationAdmin(admin.ModelAdmin):
    list_display = ("cadre", "year", "registered_on")
    raw_id_fields = ("cadre", "recorded_by")


@admin.register(KnowledgeTest)
class KnowledgeTestAdmin(admin.ModelAdmin):
    list_display = ("cadre", "phase", "taken_on", "score")
    raw_id_fields = ("cadre", "training", "recorded_by")

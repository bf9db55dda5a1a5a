from django.contrib import admin

from kampungkb.partners.models import (
    Commitment,
    Mou,
    MouAlert,
    Partner,
    PartnerContact,
    PartnerMembership,
)


class ContactInline(admin.TabularInline):
    model = PartnerContact
    extra = 0


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "area", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    raw_id_fields = ("area", "areas_served")
    inlines = [ContactInline]


@admin.register(PartnerMembership)
class PartnerMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "partner")
    raw_id_fields = ("user", "partner")


@admin.register(Mou)
class MouAdmin(admin.ModelAdmin):
    list_display = ("number", "partner", "area", "valid_from", "valid_until")
    search_fields = ("number", "title", "partner__name")
    raw_id_fields = ("partner", "area", "renews")
    inlines = [CommitmentInline]


@admin.register(MouAlert)
class MouAlertAdmin(admin.ModelAdmin):
    list_display = ("mou", "threshold", "sent_on", "recipients")
    raw_id_fields = ("mou",)

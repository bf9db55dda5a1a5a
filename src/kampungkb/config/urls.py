from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from kampungkb.config.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("kampungkb.web.urls")),
    path("accounts/", include("kampungkb.accounts.urls")),
    path("activities/", include("kampungkb.activities.urls")),
    path("areas/", include("kampungkb.regions.urls")),
    path("cadres/", include("kampungkb.cadres.urls")),
    path("families/", include("kampungkb.families.urls")),
    path("kb/", include("kampungkb.contraception.urls")),
    path("kampung/", include("kampungkb.kampung.urls")),
    path("partners/", include("kampungkb.partners.urls")),
    path("participation/", include("kampungkb.participation.urls")),
    path("reports/", include("kampungkb.reports.urls")),
    path("stunting/", include("kampungkb.stunting.urls")),
    path("targets/", include("kampungkb.indicators.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
handler400 = "kampungkb.web.views.bad_request"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

"""The area hierarchy: province > kabupaten/kota > kecamatan > desa/kelurahan > dusun/RW > RT.

An area's code is its primary key. Kemendagri codes are fixed-width dotted segments (``64.02.08.2001``)
and local codes below the village add three-digit segments (``64.02.08.2001.003.002``), so the codes
of a subtree are exactly those that start with the root's code: a prefix filter is the subtree.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    REGENCY = 2, _("Regency/city")
    DISTRICT = 3, _("Sub-district")
    VILLAGE = 4, _("Village")
    HAMLET = 5, _("Hamlet/RW")
    NEIGHBOURHOOD = 6, _("Neighbourhood (RT)")


class Kind(models.TextChoices):
    PROVINCE = "provinsi", _("Province")
    KABUPATEN = "kabupaten", _("Regency (kabupaten)")
    KOTA = "kota", _("City (kota)")
    KECAMATAN = "kecamatan", _("Sub-district (kecamatan)")
    DISTRIK = "distrik", _("District (distrik)")
    DESA = "desa", _("Village (desa)")
    KELURAHAN = "kelurahan", _("Urban village (kelurahan)")
    DESA_ADAT = "desa_adat", _("Customary village (desa adat)")
    DUSUN = "dusun", _("Hamlet (dusun)")
    RW = "rw", _("RW")
    RT = "rt", _("RT")


KINDS_BY_LEVEL: dict[int, tuple[str, ...]] = {
    Level.PROVINCE: (Kind.PROVINCE,),
    Level.REGENCY: (Kind.KABUPATEN, Kind.KOTA),
    Level.DISTRICT: (Kind.KECAMATAN, Kind.DISTRIK),
    Level.VILLAGE: (Kind.DESA, Kind.KELURAHAN, Kind.DESA_ADAT),
    Level.HAMLET: (Kind.DUSUN, Kind.RW),
    Level.NEIGHBOURHOOD: (Kind.RT,),
}


# Dusun, RW and RT are Indonesian administrative terms in every language the UI speaks.
LOCAL_PREFIX: dict[str, str] = {Kind.DUSUN: "Dusun", Kind.RW: "RW", Kind.RT: "RT"}


class Area(models.Model):
    code = models.CharField(_("code"), max_length=32, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    SCOPE_AREA_FIELD = "code"
    HOLDS_PERSONAL_DATA = False

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["code"]
        indexes = [
            models.Index(
                fields=["code"], name="area_code_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["level", "name"], name="area_level_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=Level.PROVINCE, parent__isnull=True)
                | Q(level__gt=Level.PROVINCE, parent__isnull=False),
                name="area_parent_matches_level",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=Level.PROVINCE, level__lte=Level.NEIGHBOURHOOD),
                name="area_level_range",
            ),
        ]

    def __str__(self) -> str:
        prefix = LOCAL_PREFIX.get(self.kind)
        if prefix and not self.name.lower().startswith(prefix.lower()):
            return f"{prefix} {self.name}"
        return self.name

    @property
    def is_local(self) -> bool:
        """Dusun/RW and RT have no national code; their codes are local to the village."""
        return self.level >= Level.HAMLET

    def ancestor_codes(self) -> list[str]:
        """Codes of the ancestors, the root (province) first, from the code alone."""
        parts = self.code.split(".")
        return [".".join(parts[:i]) for i in range(1, len(parts))]

    def contains(self, code: str) -> bool:
        return code == self.code or code.startswith(self.code + ".")

from django.contrib import admin

from jaminanku.audit.admin import AuditedAdminMixin
from jaminanku.programs.models import BenefitFigure


@admin.register(BenefitFigure)
class BenefitFigureAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "effective_from", "amount", "derived"]
    list_filter = ["name", "derived"]

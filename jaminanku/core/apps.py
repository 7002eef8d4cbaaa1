from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jaminanku.core"
    label = "core"

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "jaminanku.demo"
    label = "demo"
    verbose_name = "Demo"

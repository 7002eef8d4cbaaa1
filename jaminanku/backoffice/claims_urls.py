"""The claim desk's pages under /staf/klaim/ (names in the back office's namespace, prefixed claim_)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

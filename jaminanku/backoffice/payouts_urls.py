"""Paying approved claims, under /staf/pembayaran-klaim/ (claims.add_disbursementbatch): batches, their files
and results, and the payout provider's callback."""

from django.urls import path  # noqa: F401

app_name = "payouts"

urlpatterns: list = []

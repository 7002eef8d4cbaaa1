"""Paying approved claims, under /staf/pembayaran-klaim/ (claims.add_disbursementbatch): batches, their files
and results, and the payout provider's callback (no staff login: Xendit authenticates with its token)."""

from django.urls import path

from jaminanku.backoffice import payouts_views as views
from jaminanku.claims.callbacks import xendit_payout_callback

app_name = "payouts"

urlpatterns = [
    path("", views.index, name="index"),
    path("batch-baru/", views.create, name="create"),
    path("xendit-callback/", xendit_payout_callback, name="xendit_callback"),
    path("<str:reference>/", views.batch, name="batch"),
    path("<str:reference>/berkas-transfer/", views.transfer_file, name="transfer_file"),
    path("<str:reference>/contoh-hasil/", views.sample_result, name="sample_result"),
    path("<str:reference>/hasil/", views.upload_result, name="upload_result"),
    path("<str:reference>/kirim-ulang/", views.resend, name="resend"),
]

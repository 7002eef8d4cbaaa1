"""The member's claim pages under /klaim-jht/ (the eligibility answer per KPJ stays at member's /klaim/<kpj>/):
start from an offered kind, the draft with its documents, account and declaration, and the tracking page."""

from django.urls import path

from jaminanku.claims import views

app_name = "claims"

urlpatterns = [
    path("", views.my_claims, name="mine"),
    path("ajukan/", views.start, name="start"),
    path("<str:reference>/", views.track, name="track"),
    path("<str:reference>/draf/", views.draft, name="draft"),
    path("<str:reference>/dokumen/", views.upload, name="upload"),
    path("<str:reference>/dokumen/<str:token>/", views.document, name="document"),
    path("<str:reference>/dokumen/<str:token>/hapus/", views.remove, name="remove_document"),
    path("<str:reference>/rekening/", views.account, name="account"),
    path("<str:reference>/kirim/", views.submit, name="submit"),
    path("<str:reference>/batal/", views.withdraw, name="withdraw"),
    path("<str:reference>/perbaiki-rekening/", views.correct, name="correct_account"),
    path("<str:reference>/bukti-potong.pdf", views.slip, name="slip"),
]

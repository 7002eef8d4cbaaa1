"""The claim desk's pages under /staf/klaim/ (names in the back office's namespace, prefixed claim)."""

from django.urls import path

from jaminanku.backoffice import claims_views

urlpatterns = [
    path("", claims_views.desk_list, name="claim_desk"),
    path("antrean/<str:code>/", claims_views.open_from_booking, name="claim_open"),
    path("<str:reference>/", claims_views.claim_page, name="claim"),
    path("<str:reference>/periksa/", claims_views.take, name="claim_take"),
    path("<str:reference>/setujui/", claims_views.approve, name="claim_approve"),
    path("<str:reference>/tolak/", claims_views.reject, name="claim_reject"),
    path("<str:reference>/rekening-ahli-waris/", claims_views.heir_account, name="claim_heir_account"),
    path("<str:reference>/dokumen/<str:token>/", claims_views.document, name="claim_document"),
]

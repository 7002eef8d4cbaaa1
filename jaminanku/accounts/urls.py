"""Member-facing account URLs, in Indonesian: /daftar/ (sign-up), /masuk/, /keluar/, /lupa-sandi/, /akun/…,
/reset-akun/…"""

from django.urls import path

from jaminanku.accounts.login import views as login
from jaminanku.accounts.profile import views as account
from jaminanku.accounts.recovery import views as reset
from jaminanku.accounts.sessions import views as security
from jaminanku.accounts.signup import views as signup

app_name = "accounts"

urlpatterns = [
    path("daftar/", signup.start, name="signup"),
    path("daftar/lanjut/<str:flow_id>/", signup.resume, name="signup_resume"),
    path("daftar/sudah-terdaftar/", signup.registered, name="signup_registered"),
    path("daftar/sudah-terdaftar/atur-sandi/", signup.registered_password, name="signup_registered_password"),
    path("daftar/<slug:slug>/", signup.step, name="signup_step"),
    path("masuk/", login.LoginView.as_view(), name="login"),
    path("masuk/kode/", login.login_code, name="login_code"),
    path("keluar/", login.LogoutView.as_view(), name="logout"),
    path("lupa-sandi/", reset.forgot_password, name="password_reset"),
    path("lupa-sandi/kode/", reset.password_reset_code, name="password_reset_code"),
    path("akun/", account.account_page, name="account"),
    path("akun/email/", account.change_email, name="change_email"),
    path("akun/email/kode/", account.change_email_code, name="change_email_code"),
    path("akun/nomor-hp/", account.change_phone, name="change_phone"),
    path("akun/nomor-hp/kode/", account.change_phone_code, name="change_phone_code"),
    path("akun/kata-sandi/", account.change_password, name="change_password"),
    path("akun/autentikator/", security.authenticator, name="authenticator"),
    path("akun/autentikator/matikan/", security.authenticator_off, name="authenticator_off"),
    path("akun/perangkat/", security.sign_ins, name="sign_ins"),
    path("akun/perangkat/akhiri/", security.end_sign_in, name="end_sign_in"),
    path("akun/perangkat/akhiri-lainnya/", security.end_other_sign_ins, name="end_other_sign_ins"),
    path("reset-akun/", reset.reset_status, name="reset_status"),
    path("reset-akun/ajukan/", reset.request_reset, name="reset_request"),
]

"""Web pages of the accounts app: sign-up, login and recovery, the member's account settings, and the
account-reset request pages."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kampungkb.accounts"
    label = "accounts"

"""Secrets at rest: robot URLs, signing secrets and SMS passwords are stored encrypted.

Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with a key that lives in the
environment, never in the database: NOTIFY_SECRETS_KEY (a Fernet key), or, when that is empty,
a key derived from SECRET_KEY. A database dump alone does not reveal them; a changed key makes
them unreadable (the channel then says so and asks to enter them again), never wrong.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class SecretUnreadable(Exception):
    """The stored value was encrypted with another key."""


def _fernet() -> Fernet:
    key = getattr(settings, "NOTIFY_SECRETS_KEY", "")
    if not key:
        digest = hashlib.sha256(b"dudu-notify-secrets\0" + settings.SECRET_KEY.encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return Fernet(key)


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        raise SecretUnreadable("已保存的密钥无法解密（服务器密钥已更换），请重新填写。") from None


def mask(value: str, keep: int = 4) -> str:
    """What a page may show of a secret: its last few characters."""
    if not value:
        return ""
    return "•" * 6 + value[-keep:] if len(value) > keep * 2 else "•" * 6


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 11 else mask(phone, 2)


def scrub(text: str, secrets) -> str:
    """Remove every secret (and the query string of URLs) from a text bound for logs or pages."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
            if "?" in secret:
                text = text.replace(secret.split("?", 1)[1], "***")
    return text

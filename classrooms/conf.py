"""Settings of the classrooms app, read with defaults so lms/settings.py need not know them.

Each name is looked up in Django settings first, then in the environment. Without Jitsi
credentials (the embedded default) rooms open on the public domain without tokens.
"""

from dataclasses import dataclass
from pathlib import Path

from lms.conf import setting as _get
from lms.conf import setting_int as _get_int

PUBLIC_DOMAIN = "meet.jit.si"
JAAS_DOMAIN = "8x8.vc"


def join_window_minutes() -> int:
    return _get_int("JOIN_WINDOW_MINUTES", 15)


def reminder_minutes() -> int:
    return _get_int("LIVE_REMINDER_MINUTES", 15)


def token_margin_minutes() -> int:
    """Extra validity after the scheduled end, so an overrunning lesson is not cut off."""
    return max(0, min(_get_int("JITSI_TOKEN_MARGIN_MINUTES", 30), 240))


def external_api_timeout_seconds() -> int:
    """How long the live page waits for the IFrame API script before showing its failure state."""
    return max(1, min(_get_int("JITSI_SCRIPT_TIMEOUT_SECONDS", 10), 120))


def overrun_minutes() -> int:
    """A live lesson nobody ended is closed this long after its scheduled end."""
    return max(0, _get_int("LIVE_OVERRUN_MINUTES", 60))


@dataclass(frozen=True)
class JitsiConfig:
    mode: str  # "public" (no tokens), "selfhosted" (HS256) or "jaas" (RS256)
    domain: str
    app_id: str = ""
    secret: str = ""
    key_id: str = ""
    private_key: str = ""
    external_api_url: str = ""

    @property
    def uses_tokens(self) -> bool:
        return self.mode != "public"

    def room_path(self, room_name: str) -> str:
        """What the IFrame API's roomName gets: JaaS rooms live under the app id."""
        return f"{self.app_id}/{room_name}" if self.mode == "jaas" else room_name


def _read_key(value: str) -> str:
    """A PEM key given inline, or the path of a file holding it."""
    value = value.strip()
    if not value or "-----BEGIN" in value:
        return value.replace("\\n", "\n")
    path = Path(value).expanduser()
    return path.read_text() if path.is_file() else ""


def jitsi() -> JitsiConfig:
    jaas_app_id = _get("JITSI_JAAS_APP_ID")
    jaas_key_id = _get("JITSI_JAAS_KEY_ID")
    jaas_key = _read_key(_get("JITSI_JAAS_PRIVATE_KEY"))
    app_id = _get("JITSI_APP_ID")
    secret = _get("JITSI_APP_SECRET")
    if jaas_app_id and jaas_key_id and jaas_key:
        domain = _get("JITSI_DOMAIN", JAAS_DOMAIN)
        config = JitsiConfig(
            mode="jaas",
            domain=domain,
            app_id=jaas_app_id,
            key_id=jaas_key_id,
            private_key=jaas_key,
        )
        default_script = f"https://{domain}/{jaas_app_id}/external_api.js"
    elif app_id and secret:
        domain = _get("JITSI_DOMAIN", PUBLIC_DOMAIN)
        config = JitsiConfig(mode="selfhosted", domain=domain, app_id=app_id, secret=secret)
        default_script = f"https://{domain}/external_api.js"
    else:
        domain = _get("JITSI_DOMAIN", PUBLIC_DOMAIN)
        config = JitsiConfig(mode="public", domain=domain)
        default_script = f"https://{domain}/external_api.js"
    return JitsiConfig(
        **{**config.__dict__, "external_api_url": _get("JITSI_EXTERNAL_API_URL", default_script)}
    )

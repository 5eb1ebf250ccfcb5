"""Entering a lesson's room: who may, when, and how the Jitsi client is configured."""

from datetime import datetime

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from lms.access import Cap
from lms.errors import Conflict, Gone

from .. import conf, jitsi, permissions, selectors
from ..models import LiveSession
from .sessions import join_state, opens_at
from .validation import _require

LOW_BANDWIDTH_OVERWRITE = {
    "startAudioOnly": True,
    "resolution": 180,
    "constraints": {"video": {"height": {"ideal": 180, "max": 180, "min": 90}}},
    "channelLastN": 1,
    "disableAudioLevels": True,
}


def _config_overwrite(session: LiveSession, user, role: str, language: str) -> dict:
    moderator = permissions.is_moderator(role)
    observer = permissions.is_observer(role)
    return {
        "subject": f"{session.course.code} · {session.display_title}",
        "defaultLanguage": language,
        "prejoinPageEnabled": False,
        "prejoinConfig": {"enabled": False},
        # The name shown in the room is the person's real name; nobody can change it there.
        "readOnlyName": True,
        "disableProfile": True,
        "disableDeepLinking": True,
        "startWithAudioMuted": not moderator,
        "startWithVideoMuted": observer,
        "disableRemoteMute": not moderator,
        "remoteVideoMenu": {"disableKick": not moderator, "disableGrantModerator": True},
        "enableWelcomePage": False,
        "enableClosePage": False,
        "p2p": {"enabled": False},
    }


INTERFACE_CONFIG_OVERWRITE = {
    "SHOW_JITSI_WATERMARK": False,
    "SHOW_WATERMARK_FOR_GUESTS": False,
    "MOBILE_APP_PROMO": False,
    "DISABLE_JOIN_LEAVE_NOTIFICATIONS": True,
    "SHOW_CHROME_EXTENSION_BANNER": False,
}


def live_session_join(*, session: LiveSession, by, now: datetime | None = None) -> dict:
    """What a client needs to enter the room: domain, room, token and configuration.

    Course members and the school's administrators (as observers) only; nothing is written.
    """
    user = by
    role = _require(by, session.course, Cap.LIVE_JOIN)
    now = now or timezone.now()
    state = join_state(session, now=now)
    if state == "cancelled":
        raise Gone(_("This lesson was cancelled."), code="cancelled")
    if state == "ended":
        raise Gone(_("This lesson has ended."), code="ended")
    if state == "early":
        zone = selectors.user_zone(user)
        when = formats.date_format(opens_at(session).astimezone(zone), "DATETIME_FORMAT")
        raise Conflict(
            _("This lesson opens at %(when)s.") % {"when": when}, code="not_open", field=None
        )
    config = conf.jitsi()
    language = user.preferred_language or translation.get_language() or "en"
    return {
        "session": session.pk,
        "mode": config.mode,
        "domain": config.domain,
        "room": session.room_name,
        "room_path": config.room_path(session.room_name),
        "jwt": jitsi.token_for(session=session, user=user, role=role, now=now),
        "external_api_url": config.external_api_url,
        "display_name": user.get_full_name() or user.email,
        "email": user.email,
        "language": language,
        "role": role,
        "moderator": permissions.is_moderator(role),
        "observer": permissions.is_observer(role),
        "ends_at": session.ends_at,
        "config_overwrite": _config_overwrite(session, user, role, language),
        "interface_config_overwrite": INTERFACE_CONFIG_OVERWRITE,
        "low_bandwidth_overwrite": LOW_BANDWIDTH_OVERWRITE,
    }

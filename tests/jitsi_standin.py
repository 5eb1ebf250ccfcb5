"""Jitsi's IFrame API script, stood in for in browser tests.

The stand-in (tests/assets/jitsi_external_api_standin.js) is test code, so it is not among the
app's static files: each browser context or tab serves it from an address the browser resolves
through Playwright's routing, never from the network.
"""

from pathlib import Path

URL = "https://jitsi-standin.test/external_api.js"
BODY = (Path(__file__).parent / "assets" / "jitsi_external_api_standin.js").read_text()


def serve(target) -> str:
    """Serves the stand-in to a Playwright page or browser context; returns its URL."""
    target.route(
        URL,
        lambda route: route.fulfill(
            status=200, body=BODY, headers={"content-type": "application/javascript"}
        ),
    )
    return URL

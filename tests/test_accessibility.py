"""axe-core over the main pages of each demo role: no serious or critical violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests import jitsi_standin
from tests.browser.demo_pages import STANDIN, seed_and_list, sign_in

BLOCKING = {"serious", "critical"}


def blocking_violations(results: dict) -> list[str]:
    found = []
    for violation in results.get("violations", []):
        if violation.get("impact") not in BLOCKING:
            continue
        targets = [", ".join(node.get("target", [])) for node in violation.get("nodes", [])][:5]
        found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_main_pages_have_no_serious_accessibility_violation(browser, live_server, settings):
    settings.JITSI_EXTERNAL_API_URL = STANDIN
    pages = seed_and_list()
    axe = Axe()
    problems = []
    for role, width in [(r, w) for r in ("student", "teacher", "admin") for w in (1280, 360)]:
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale="vi-VN", bypass_csp=True
        )
        context.set_default_timeout(20_000)
        jitsi_standin.serve(context)
        tab = context.new_page()
        try:
            sign_in(tab, live_server.url, role)
            for page_role, name, path in pages:
                if page_role != role:
                    continue
                response = tab.goto(live_server.url + path)
                assert response.status == 200, (role, name, path, response.status)
                tab.wait_for_load_state("networkidle")
                for problem in blocking_violations(axe.run(tab).response):
                    problems.append(f"{role} {name} {path} @{width}px: {problem}")
        finally:
            context.close()
    assert not problems, "\n".join(problems)


def test_the_filter_keeps_serious_and_critical_only():
    results = {
        "violations": [
            {
                "id": "color-contrast",
                "impact": "serious",
                "help": "Contrast",
                "nodes": [{"target": ["p"]}],
            },
            {"id": "region", "impact": "moderate", "help": "Landmarks", "nodes": []},
        ]
    }
    assert blocking_violations(results) == ["color-contrast (serious): Contrast at ['p']"]

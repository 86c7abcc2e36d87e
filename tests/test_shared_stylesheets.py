"""The session template shares parsed stylesheets between apps (tui/cli/shared_stylesheets):
a forked session must look exactly as one that parsed its own, in every theme."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

# Run in a process of its own: sharing is installed for the whole process, for good.
SCRIPT = textwrap.dedent(
    """
    import asyncio, json, re, sys, tempfile
    from pathlib import Path
    from partner_tui.search.engine import Engine
    from partner_tui.tui.app import PartnerApp
    from partner_tui.tui.cli import shared_stylesheets
    from partner_tui.tui.state.preferences import PreferencesStore

    async def settled(app, pilot):
        # Waits for the drawing to stop changing (section opened, index ready, notices
        # drawn) rather than for a fixed time, which a loaded machine can outrun.
        last = None
        for _ in range(200):
            await app.workers.wait_for_complete()
            await pilot.pause(0.05)
            shot = app.export_screenshot()
            if shot == last:
                return shot
            last = shot
        raise SystemExit("the screen never settled")

    async def screens(theme_after):
        with tempfile.TemporaryDirectory() as folder:
            app = PartnerApp(Engine.open(), PreferencesStore(Path(folder)), user="t",
                             bookmarks_off="test", watch_corpus=False)
            async with app.run_test(size=(80, 24)) as pilot:
                first = await settled(app, pilot)
                app.theme = theme_after
                second = await settled(app, pilot)
        # The SVG's ids come from a counter; the drawing is what must match.
        return [re.sub(r"terminal-[0-9]+", "terminal", svg) for svg in (first, second)]

    asyncio.run(screens(sys.argv[1]))  # the first run also builds the index: it shows
    plain = asyncio.run(screens(sys.argv[1]))
    shared_stylesheets.share_parsed_stylesheets()
    filled = asyncio.run(screens(sys.argv[1]))
    kept = shared_stylesheets.shared_parse_count()
    reused = asyncio.run(screens(sys.argv[1]))  # every parse from the shared cache
    print(json.dumps({"plain": plain, "filled": filled, "reused": reused, "kept": kept}))
    """
)


def test_shared_parses_draw_the_same_screens_in_every_theme():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, "textual-light"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["kept"] > 10
    assert result["plain"][0] != result["plain"][1]  # the theme change shows
    assert result["filled"] == result["plain"]
    assert result["reused"] == result["plain"]

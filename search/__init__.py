"""The partner-tui engine: briefings → sections → a Whoosh index → ranked, highlighted hits.

Nothing here knows about terminals or Textual; the CLI and the app both sit on top of it.
Import what you need from the modules (`partner_tui.search.engine`, `.model`, `.corpus`).
"""

from partner_tui.search.lazy_whoosh import defer_rarely_used_modules

defer_rarely_used_modules()

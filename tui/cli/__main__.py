from partner_tui.tui.cli.main import entry

entry()

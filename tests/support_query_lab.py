"""A small briefing whose sections make query semantics easy to state exactly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from partner_tui.search.engine import Engine
from support_engine import write_corpus

LAB = """\
# Query Lab

## Green Energy

Solar panels and wind turbines supply clean energy to the grid.

### Solar Farms

Large solar farms cover old mines.

## Robotics

Industrial robots assemble cars. Robotic arms weld steel.

## Green Buildings

Insulated buildings need less heating. Green roofs cool the city.

## Sustainability Report

The sustainability report covers carbon emissions and low-carbon transport.

## Irrigation

Farmers use drip irrigation to save water.

## Technology Transfer

New technologies move between universities and firms.

## Urban Parks

Parks keep cities green and cool in summer.
"""

B = "lab"
GREEN_ENERGY = f"{B}/green-energy"
SOLAR_FARMS = f"{B}/green-energy/solar-farms"
ROBOTICS = f"{B}/robotics"
GREEN_BUILDINGS = f"{B}/green-buildings"
REPORT = f"{B}/sustainability-report"
IRRIGATION = f"{B}/irrigation"
TECHNOLOGY = f"{B}/technology-transfer"
PARKS = f"{B}/urban-parks"


def open_lab(tmp_path_factory) -> Iterator[Engine]:
    """Body of each test module's `lab` fixture: the lab briefing, indexed in a tmp cache."""
    root: Path = tmp_path_factory.mktemp("lab")
    write_corpus(root / "corpus", {"lab.md": LAB})
    engine = Engine.open(root / "corpus", cache_dir=root / "cache")
    yield engine
    engine.close()


def ids(engine: Engine, text: str, **kwargs) -> list[str]:
    return [hit.section_id for hit in engine.search(text, **kwargs).hits]

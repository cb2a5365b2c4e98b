"""Who shares with whom in a project: the flows, and their layout as an SVG picture.

Processor contracts are left out, because a processor acts for us and
receiving data under one is not sharing.
"""

import math
from dataclasses import dataclass, field
from datetime import date

from sharing.models import Agreement

WIDTH = 720
HEIGHT = 520
NODE_WIDTH = 180
NODE_HEIGHT = 44


@dataclass(frozen=True)
class Flow:
    """Data going from one party to another under one agreement."""

    agreement: Agreement
    source: str
    target: str
    status: str


@dataclass
class Node:
    name: str
    is_external: bool
    x: float = 0.0
    y: float = 0.0


@dataclass
class Edge:
    flows: list[Flow]
    path: str
    label_x: float
    label_y: float


@dataclass
class Picture:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT


def sharing_flows(agreements: list[Agreement], today: date) -> list[Flow]:
    """Return each discloser-to-recipient flow of the sharing agreements given."""
    flows = []
    for agreement in agreements:
        if agreement.is_processor_contract:
            continue
        status = agreement.effective_status(today)
        for source in agreement.parties:
            for target in agreement.parties:
                if source is not target and source.discloses and target.receives:
                    flows.append(Flow(agreement, source.party.name, target.party.name, status))
    return flows


def lay_out(agreements: list[Agreement], flows: list[Flow]) -> Picture:
    """Place internal teams on the left and external organisations on the right."""
    picture = Picture()
    kinds = {}
    for agreement in agreements:
        if not agreement.is_processor_contract:
            for link in agreement.parties:
                kinds[link.party.name] = link.party.is_external
    internal = sorted(name for name, external in kinds.items() if not external)
    external = sorted(name for name, is_external in kinds.items() if is_external)
    rows = max(len(internal), len(external), 1)
    picture.height = max(HEIGHT, rows * (NODE_HEIGHT + 60) + 40)
    for column, names in ((0, internal), (1, external)):
        gap = picture.height / (len(names) + 1) if names else 0
        for index, name in enumerate(names, start=1):
            x = 40 + column * (WIDTH - 80 - NODE_WIDTH)
            picture.nodes.append(Node(name, bool(column), x, gap * index - NODE_HEIGHT / 2))
    centres = {
        node.name: (node.x + NODE_WIDTH / 2, node.y + NODE_HEIGHT / 2) for node in picture.nodes
    }
    grouped: dict[tuple[str, str], list[Flow]] = {}
    for flow in flows:
        grouped.setdefault((flow.source, flow.target), []).append(flow)
    for (source, target), group in grouped.items():
        picture.edges.append(curve(centres[source], centres[target], group))
    return picture


def curve(start: tuple[float, float], end: tuple[float, float], flows: list[Flow]) -> Edge:
    """Draw a flow as a gentle curve bending to its left, so opposite flows do not overlap."""
    (x1, y1), (x2, y2) = start, end
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    # Stop the line at the edge of the target box so the arrowhead stays visible.
    shorten = min(length / 3, NODE_HEIGHT / 2 + 8 + abs(dx / length) * (NODE_WIDTH / 2 - 22))
    x2, y2 = x2 - dx / length * shorten, y2 - dy / length * shorten
    x1, y1 = x1 + dx / length * 20, y1 + dy / length * 20
    bend = 40
    mid_x = (x1 + x2) / 2 - dy / length * bend
    mid_y = (y1 + y2) / 2 + dx / length * bend
    path = f"M {x1:.1f} {y1:.1f} Q {mid_x:.1f} {mid_y:.1f} {x2:.1f} {y2:.1f}"
    label_x = (x1 + 2 * mid_x + x2) / 4
    label_y = (y1 + 2 * mid_y + y2) / 4
    return Edge(flows, path, label_x, label_y)

"""Flows of personal data between a project's parties, and their layout as an SVG picture.

Processor contracts are left out, because a processor acts for us and
receiving data under one is not sharing.
"""

from dataclasses import dataclass, field
from datetime import date

from sharing.models import Agreement

WIDTH = 1100
NODE_WIDTH = 250
NODE_HEIGHT = 52
ROW_HEIGHT = 120
# Room beside each column for the bows that join two parties of that column.
MARGIN = 170


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
    """One line between two parties, carrying the flows either way between them."""

    flows: list[Flow]
    path: str
    label_x: float
    label_y: float
    is_two_way: bool
    anchor: str = "middle"
    ends: tuple[float, float, float, float] | None = None

    @property
    def references(self) -> list[str]:
        return list(dict.fromkeys(flow.agreement.reference for flow in self.flows))


@dataclass
class Picture:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    width: int = WIDTH
    height: int = ROW_HEIGHT


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
    columns = (
        sorted(name for name, is_external in kinds.items() if not is_external),
        sorted(name for name, is_external in kinds.items() if is_external),
    )
    picture.height = max(len(columns[0]), len(columns[1]), 1) * ROW_HEIGHT + 20
    for column, names in enumerate(columns):
        x = MARGIN if column == 0 else WIDTH - MARGIN - NODE_WIDTH
        spacing = picture.height / (len(names) + 1) if names else 0
        for index, name in enumerate(names, start=1):
            y = spacing * index - NODE_HEIGHT / 2
            picture.nodes.append(Node(name, bool(column), x, y))
    nodes = {node.name: node for node in picture.nodes}
    pairs: dict[frozenset[str], list[Flow]] = {}
    for flow in flows:
        pairs.setdefault(frozenset((flow.source, flow.target)), []).append(flow)
    for group in pairs.values():
        first = group[0]
        two_way = any(flow.source == first.target for flow in group)
        picture.edges.append(connect(nodes[first.source], nodes[first.target], group, two_way))
    place_labels(picture.edges)
    return picture


def place_labels(edges: list[Edge]) -> None:
    """Put each straight line's label at the first point along it clear of earlier labels."""
    placed: list[tuple[float, float, float]] = []
    for edge in edges:
        if edge.ends is None:
            continue
        left_x, left_y, right_x, right_y = edge.ends
        half_width = 4.5 * len(", ".join(edge.references))
        for share in (0.5, 0.3, 0.7, 0.2, 0.8):
            x = left_x + (right_x - left_x) * share
            y = left_y + (right_y - left_y) * share - 8
            if all(abs(x - tx) > half_width + tw or abs(y - ty) > 20 for tx, ty, tw in placed):
                break
        edge.label_x, edge.label_y = x, y
        placed.append((x, y, half_width))


def connect(source: Node, target: Node, flows: list[Flow], two_way: bool) -> Edge:
    """Join two boxes: straight across the columns, or in an outward bow within one column."""
    source_mid = source.y + NODE_HEIGHT / 2
    target_mid = target.y + NODE_HEIGHT / 2
    if source.is_external != target.is_external:
        left, right = (source, target) if not source.is_external else (target, source)
        left_x, right_x = left.x + NODE_WIDTH, right.x
        left_y, right_y = left.y + NODE_HEIGHT / 2, right.y + NODE_HEIGHT / 2
        if left is source:
            path = f"M {left_x:.1f} {left_y:.1f} L {right_x:.1f} {right_y:.1f}"
        else:
            path = f"M {right_x:.1f} {right_y:.1f} L {left_x:.1f} {left_y:.1f}"
        edge = Edge(flows, path, 0.0, 0.0, two_way)
        edge.ends = (left_x, left_y, right_x, right_y)
        return edge
    # Within one column the bow goes away from the other column, further for distant rows,
    # so it never runs through the boxes in between.
    outward = 1 if source.is_external else -1
    edge_x = source.x + (NODE_WIDTH if source.is_external else 0)
    bulge = edge_x + outward * (30 + abs(target_mid - source_mid) / 4)
    path = (
        f"M {edge_x:.1f} {source_mid:.1f} C {bulge:.1f} {source_mid:.1f} "
        f"{bulge:.1f} {target_mid:.1f} {edge_x:.1f} {target_mid:.1f}"
    )
    label_x = edge_x + outward * (0.75 * abs(bulge - edge_x) + 4)
    anchor = "start" if source.is_external else "end"
    return Edge(flows, path, label_x, (source_mid + target_mid) / 2 + 5, two_way, anchor)

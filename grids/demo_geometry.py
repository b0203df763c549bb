"""Synthetic demo geometry for Yima's 214 grids.

There is no openly licensed boundary of 义马市 nor of its grids, so the demo partitions the city's
approximate extent into rectangles: 新区街道 to the west, 东区街道 to the east and the five old-town
街道 in bands between them. Every 社区 is a rectangle inside its 街道, every grid a rectangle inside its
社区; shared edges are computed from the same numbers, so the tiling has no gaps or overlaps.
Real boundaries replace all of this through `manage.py import_grids`.
"""

from dataclasses import dataclass

WEST, EAST, SOUTH, NORTH = 111.82, 111.99, 34.69, 34.80
TOTAL_GRIDS = 214

# Where each 街道 lies: (west, east) longitudes; the old-town bands share the centre column.
_WEST_STREET = "411281006"  # 新区街道
_EAST_STREET = "411281007"  # 东区街道
_CENTRE = (111.87, 111.93)
_SIDES = {_WEST_STREET: (WEST, 111.87), _EAST_STREET: (111.93, EAST)}


@dataclass(frozen=True)
class Box:
    west: float
    south: float
    east: float
    north: float

    def ring(self) -> list[list[float]]:
        w, s, e, n = (round(v, 6) for v in (self.west, self.south, self.east, self.north))
        return [[w, s], [e, s], [e, n], [w, n], [w, s]]

    def geojson(self) -> dict:
        return {"type": "Polygon", "coordinates": [self.ring()]}


def _split_rows(box: Box, weights: list[int]) -> list[Box]:
    """North to south bands with heights proportional to weights."""
    total = sum(weights)
    height = box.north - box.south
    edges, acc = [box.north], 0
    for weight in weights:
        acc += weight
        edges.append(box.north - height * acc / total)
    edges[-1] = box.south
    return [Box(box.west, edges[i + 1], box.east, edges[i]) for i in range(len(weights))]


def _split_cols(box: Box, count: int) -> list[Box]:
    """West to east columns of equal width."""
    width = box.east - box.west
    edges = [box.west + width * i / count for i in range(count)] + [box.east]
    return [Box(edges[i], box.south, edges[i + 1], box.north) for i in range(count)]


def grids_per_community(community_codes: list[str]) -> dict[str, int]:
    """214 grids over the communities: six each, and one more for the first few in code order."""
    base, extra = divmod(TOTAL_GRIDS, len(community_codes))
    ordered = sorted(community_codes)
    return {code: base + (1 if i < extra else 0) for i, code in enumerate(ordered)}


def community_boxes(streets: dict[str, list[str]]) -> dict[str, Box]:
    """Place every 社区 (codes grouped by 街道 code) in a rectangle."""
    boxes: dict[str, Box] = {}
    centre_streets = sorted(code for code in streets if code not in _SIDES)
    centre = Box(_CENTRE[0], SOUTH, _CENTRE[1], NORTH)
    bands = _split_rows(centre, [len(streets[code]) for code in centre_streets])
    for street_code, band in zip(centre_streets, bands, strict=True):
        for code, box in zip(
            sorted(streets[street_code]), _split_cols(band, len(streets[street_code])), strict=True
        ):
            boxes[code] = box
    for street_code, (west, east) in _SIDES.items():
        communities = sorted(streets.get(street_code, []))
        if not communities:
            continue
        rows = (len(communities) + 1) // 2
        area = Box(west, SOUTH, east, NORTH)
        cells = [c for row in _split_rows(area, [1] * rows) for c in _split_cols(row, 2)]
        for code, box in zip(communities, cells, strict=False):
            boxes[code] = box
    return boxes


def grid_boxes(community: Box, count: int) -> list[Box]:
    """A community's grids in two rows (north row first), each row west to east: the numbering
    order of the unit-grid scheme."""
    if count == 1:
        return [community]
    top = (count + 1) // 2
    north_row, south_row = _split_rows(community, [1, 1])
    return _split_cols(north_row, top) + _split_cols(south_row, count - top)

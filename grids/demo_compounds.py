"""The demo's 297 compounds (the seed's figure), made from each grid's own outline.

Synthetic like the demo grids: each compound is a small block inside its grid (never crossing
its edge, never overlapping another compound), named from a fixed list, with an invented
property company, 楼栋长 and party branch. Deterministic for its seed.
"""

import random

import shapely
from shapely.geometry import box, mapping, shape
from shapely.ops import unary_union

DEMO_COMPOUNDS = 297
PREFIXES = (
    "幸福 和平 建设 光明 锦绣 阳光 金岸 千秋 常村 朝阳 东区 西苑 南苑 北苑 文化 育才 振兴 "
    "新华 人民 康乐 安居 福源 盛世 鸿庆 跃进 矿区 电厂 铁路 石河 泰山 紫荆 银杏 桂花"
).split()
SUFFIXES = ["小区", "花园", "家园", "新村", "苑", "佳苑", "公寓", "家属院", "院"]
COURTYARD_SUFFIXES = {"家属院", "院"}
MANAGERS = [
    "义马市安泰物业服务有限公司",
    "义马市宏源物业管理有限公司",
    "河南康居物业服务有限公司",
    "",  # 老旧小区: no property company, the community manages it
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "建国华明丽敏军伟芳秀英强磊洋勇艳杰娟涛超"


def _block(rng: random.Random, grid_shape, taken, side: float):
    min_lon, min_lat, max_lon, max_lat = grid_shape.bounds
    for _attempt in range(40):
        x = rng.uniform(min_lon, max_lon)
        y = rng.uniform(min_lat, max_lat)
        candidate = box(x - side / 2, y - side * 0.4, x + side / 2, y + side * 0.4)
        block = candidate.intersection(grid_shape)
        if taken is not None:
            block = block.difference(taken)
        # Kept a few metres off the grid's edge and the other blocks, so rounding the corners to
        # 1e-6° (the stored precision) can never make two compounds overlap.
        block = shapely.set_precision(block.buffer(-2e-5, join_style="mitre"), 1e-6)
        if block.geom_type == "MultiPolygon":
            block = max(block.geoms, key=lambda g: g.area)
        if block.geom_type == "Polygon" and block.is_valid and block.area > side * side * 0.3:
            return block
    return None


def demo_compounds(grids, *, seed: int = 411281, total: int = DEMO_COMPOUNDS) -> list[dict]:
    """[{code, name, kind, grid, lon, lat, boundary, households, …}] for `grids` (code order)."""
    rng = random.Random(seed)
    grids = list(grids)
    counts = [1] * len(grids)
    for i in rng.sample(range(len(grids)), max(0, total - len(grids))):
        counts[i] += 1
    names = [p + s for p in PREFIXES for s in SUFFIXES]
    rng.shuffle(names)
    made: list[dict] = []
    for grid, count in zip(grids, counts, strict=True):
        grid_shape = shape(grid.boundary)
        side = min(0.0018, 0.4 * grid_shape.area**0.5)
        taken = None
        for seq in range(1, count + 1):
            block = _block(rng, grid_shape, taken, side)
            if block is None:
                continue
            taken = block if taken is None else unary_union([taken, block])
            name = names[len(made) % len(names)]
            point = block.representative_point()
            made.append(
                {
                    "code": f"{grid.code}{seq:03d}",
                    "name": name,
                    "kind": "courtyard"
                    if any(name.endswith(s) for s in COURTYARD_SUFFIXES)
                    else "estate",
                    "grid": grid,
                    "lon": round(point.x, 6),
                    "lat": round(point.y, 6),
                    "boundary": mapping(block),
                    "bounds": block.bounds,
                    "households": rng.randrange(80, 900),
                    "property_manager": rng.choice(MANAGERS),
                    "contact_name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                    "contact_phone": f"137{rng.randrange(10**8):08d}",
                    "party_branch": f"{name}党支部",
                }
            )
    return made

"""Live demo tickets: a few open reports in the demo grid workers' grids, filed and routed through
the real actions (not synthetic history), so every demo login has work waiting on first run."""

import io

from PIL import Image
from shapely.geometry import shape

from accounts.models import User
from dispatch.actions.routing import route_report
from grids.demo_people import GRID_A, GRID_B
from grids.models import Grid
from reports.actions import submit_report
from reports.models import Report

DEMO_RESIDENT = "13800000101"
# (category, grid, description): grid level → the grid's team; community level → the 社区
# committee; department level → 城管; the electric-pole case → six units at once.
LIVE_TICKETS = [
    ("06010", GRID_A, "楼下垃圾堆了三天没人清运，气味很大。"),
    ("06042", GRID_A, "小区门口的垃圾箱满了，垃圾散落一地。"),
    ("01037", GRID_A, "小区门口路灯不亮，晚上很黑。"),
    ("01030", GRID_B, "路边电线杆倾斜，线缆下垂，很危险。"),
]


def _photo(seed: int) -> bytes:
    image = Image.effect_noise((640, 480), 30 + seed * 10).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def seed_live_demo_tickets() -> int:
    """File and route the live demo tickets once; returns how many were filed."""
    resident = User.objects.filter(phone=DEMO_RESIDENT).first()
    if resident is None or Report.objects.filter(reporter=resident).exists():
        return 0
    grids = {g.code: g for g in Grid.objects.filter(code__in=[GRID_A, GRID_B])}
    filed = 0
    for seed, (category, grid_code, description) in enumerate(LIVE_TICKETS):
        if grid_code not in grids:
            continue
        centre = shape(grids[grid_code].boundary).representative_point()
        report = submit_report(
            category=category,
            lon=centre.x,
            lat=centre.y,
            description=description,
            photos=[_photo(seed)],
            reporter=resident,
        )
        # Routed here rather than by the worker, which may not run yet; the doorbell that
        # submit_report rang finds the ticket routed and leaves it alone.
        route_report(report_id=report.id)
        filed += 1
    return filed

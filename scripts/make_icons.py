"""Draw the offline worklist's app icons (static/icons/icon-192.png, icon-512.png) with Pillow.

A white 3×3 grid with a map pin on the brand red, inside the maskable safe zone (the middle 80%),
so launchers that crop to a circle keep the whole symbol. Run again after changing the colours:
    .venv/bin/python scripts/make_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = (192, 57, 43)
WHITE = (255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
SIZES = (192, 512)


def icon(size: int) -> Image.Image:
    scale = 4  # drawn large, then reduced, for smooth edges
    big = size * scale
    image = Image.new("RGB", (big, big), BRAND)
    draw = ImageDraw.Draw(image)
    left, top, side = big * 0.24, big * 0.24, big * 0.52
    line = max(2, round(big * 0.028))
    for i in range(4):
        offset = side * i / 3
        draw.line([(left, top + offset), (left + side, top + offset)], fill=WHITE, width=line)
        draw.line([(left + offset, top), (left + offset, top + side)], fill=WHITE, width=line)
    # The pin on the middle cell: a disc and its point.
    cx, cy, r = big * 0.5, big * 0.44, big * 0.11
    draw.polygon(
        [(cx - r * 0.8, cy + r * 0.5), (cx + r * 0.8, cy + r * 0.5), (cx, cy + r * 2.1)], fill=WHITE
    )
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=WHITE)
    draw.ellipse([cx - r * 0.42, cy - r * 0.42, cx + r * 0.42, cy + r * 0.42], fill=BRAND)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        icon(size).save(OUT / f"icon-{size}.png", optimize=True)
        print(OUT / f"icon-{size}.png")


if __name__ == "__main__":
    main()

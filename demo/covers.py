"""Cover images for the demo articles, drawn with Pillow (no photo to license).

Each section has its colours and a motif; the seed string varies the details so
no two covers are the same. The alt texts say what the drawings show.
"""

import io
import math
import random

from PIL import Image, ImageDraw

# What each section's covers show, for their alt text: the truth about a drawing.
MOTIF_ALT = {
    "bridge": "Hình vẽ minh họa: cây cầu vòm bắc qua dòng sông, mặt trời trên nền trời xanh.",
    "boats": "Hình vẽ minh họa: những chiếc ghe trên mặt sông dưới bầu trời màu cam.",
    "fields": "Hình vẽ minh họa: những luống lúa xanh trải dài tới chân trời.",
    "houses": "Hình vẽ minh họa: dãy nhà sàn ven sông dưới bầu trời tím.",
    "flags": "Hình vẽ minh họa: dây cờ đuôi nheo và chiếc ghe dài trên sông, tông đỏ cam.",
    "palms": "Hình vẽ minh họa: hàng dừa nghiêng bên dòng sông xanh ngọc.",
}


def draw_cover(section, *, seed: str, size: tuple[int, int]) -> bytes:
    """A JPEG illustration: the section's gradient sky, a sun, the river and its motif."""
    rng = random.Random(seed)
    width, height = size
    top, bottom = section.colours
    mask = Image.linear_gradient("L").resize(size)
    base = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    unit = width / 1440  # shapes are designed for the cover size and scaled

    sun_x, sun_y, sun_r = rng.uniform(0.15, 0.85) * width, height * 0.28, 70 * unit
    draw.ellipse(
        (sun_x - sun_r, sun_y - sun_r, sun_x + sun_r, sun_y + sun_r), fill=(255, 243, 196, 230)
    )

    horizon = height * 0.62
    for band in range(4):  # the river: wavy bands, lighter towards the bank
        y0 = horizon + band * height * 0.09
        phase, amplitude = rng.uniform(0, math.tau), (8 + band * 4) * unit
        wave = [
            (x, y0 + amplitude * math.sin(x / (90 * unit) + phase))
            for x in range(0, width + 40, 40)
        ]
        draw.polygon([*wave, (width, height), (0, height)], fill=(255, 255, 255, 28 + band * 10))

    MOTIFS[section.motif](draw, rng, width, height, horizon, unit)
    image = Image.alpha_composite(base.convert("RGBA"), layer).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()


def _bridge(draw, rng, width, height, horizon, unit):
    left, right, deck = width * 0.08, width * 0.92, horizon - 30 * unit
    draw.arc(
        (left, deck - 260 * unit, right, deck + 260 * unit),
        180,
        360,
        fill="white",
        width=int(14 * unit),
    )
    draw.line((0, deck, width, deck), fill="white", width=int(16 * unit))
    for i in range(1, 12):
        x = left + (right - left) * i / 12
        rise = 260 * unit * math.sqrt(max(0.0, 1 - ((x - width / 2) / ((right - left) / 2)) ** 2))
        draw.line((x, deck - rise, x, deck), fill=(255, 255, 255, 200), width=int(4 * unit))


def _boats(draw, rng, width, height, horizon, unit):
    for _ in range(rng.randint(3, 5)):
        x, y = rng.uniform(0.05, 0.8) * width, rng.uniform(horizon + 20 * unit, height * 0.9)
        length = rng.uniform(180, 280) * unit
        hull = [
            (x, y),
            (x + length, y),
            (x + length * 0.85, y + 40 * unit),
            (x + length * 0.12, y + 40 * unit),
        ]
        draw.polygon(hull, fill=(60, 30, 10, 230))
        draw.rectangle(
            (x + length * 0.3, y - 45 * unit, x + length * 0.6, y), fill=(255, 230, 200, 220)
        )


def _fields(draw, rng, width, height, horizon, unit):
    draw.rectangle((0, horizon, width, height), fill=(46, 125, 50, 200))
    for i in range(-12, 13):
        x_far = width / 2 + i * 25 * unit
        x_near = width / 2 + i * 160 * unit
        draw.line((x_far, horizon, x_near, height), fill=(200, 230, 120, 200), width=int(6 * unit))


def _houses(draw, rng, width, height, horizon, unit):
    x = rng.uniform(0.02, 0.1) * width
    while x < width * 0.9:
        w, h = rng.uniform(140, 220) * unit, rng.uniform(90, 140) * unit
        floor = horizon - 10 * unit
        draw.rectangle((x, floor - h, x + w, floor), fill=(250, 240, 230, 230))
        draw.polygon(
            [
                (x - 15 * unit, floor - h),
                (x + w / 2, floor - h - 70 * unit),
                (x + w + 15 * unit, floor - h),
            ],
            fill=(90, 40, 60, 240),
        )
        for post in (x + 10 * unit, x + w - 10 * unit):  # stilts into the water
            draw.line(
                (post, floor, post, floor + 60 * unit), fill=(90, 40, 60, 240), width=int(6 * unit)
            )
        x += w + rng.uniform(60, 140) * unit


def _flags(draw, rng, width, height, horizon, unit):
    colours = [(255, 214, 10, 240), (255, 255, 255, 240), (0, 120, 200, 240), (40, 160, 60, 240)]
    for row, sag in ((height * 0.12, 60), (height * 0.22, 45)):
        for i in range(18):
            x0 = i * width / 18
            y0 = row + sag * unit * math.sin(math.pi * i / 18)
            draw.polygon(
                [(x0, y0), (x0 + width / 18, y0), (x0 + width / 36, y0 + 60 * unit)],
                fill=colours[i % 4],
            )
    y = horizon + 70 * unit
    draw.polygon(
        [
            (width * 0.1, y),
            (width * 0.9, y),
            (width * 0.85, y + 30 * unit),
            (width * 0.15, y + 30 * unit),
        ],
        fill=(120, 20, 10, 240),
    )
    for i in range(24):  # the paddlers' oars
        x = width * 0.17 + i * width * 0.028
        draw.line(
            (x, y, x - 20 * unit, y + 60 * unit), fill=(255, 230, 180, 230), width=int(4 * unit)
        )


def _palms(draw, rng, width, height, horizon, unit):
    for _ in range(rng.randint(3, 4)):
        x, lean = rng.uniform(0.05, 0.95) * width, rng.uniform(-0.35, 0.35)
        top = (x + lean * 300 * unit, horizon - rng.uniform(320, 420) * unit)
        draw.line((x, horizon + 20 * unit, *top), fill=(80, 55, 30, 240), width=int(14 * unit))
        for angle in range(0, 360, 45):
            rad = math.radians(angle)
            tip = (
                top[0] + 150 * unit * math.cos(rad),
                top[1] + 70 * unit * math.sin(rad) + 40 * unit,
            )
            draw.line((*top, *tip), fill=(20, 90, 50, 240), width=int(12 * unit))


MOTIFS = {
    "bridge": _bridge,
    "boats": _boats,
    "fields": _fields,
    "houses": _houses,
    "flags": _flags,
    "palms": _palms,
}

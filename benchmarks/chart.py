"""results.png: server time per page and throughput against the trivial view, drawn with Pillow
(already a dependency of the portal; no plotting library for one picture)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, ROW, LABEL_WIDTH, BAR_WIDTH = 1100, 26, 430, 540


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # a Pillow without FreeType has one bitmap size
        return ImageFont.load_default()


def _bar(draw, y: int, share: float, colour: str) -> None:
    draw.rectangle((LABEL_WIDTH, y + 4, LABEL_WIDTH + max(1, int(BAR_WIDTH * share)), y + ROW - 5), fill=colour)


def chart(results: dict, path: Path) -> None:
    pages = results.get("pages", [])
    load = results.get("load", {}).get("pages", [])
    image = Image.new("RGB", (WIDTH, 130 + ROW * (len(pages) + len(load)) + 60), "white")
    draw = ImageDraw.Draw(image)
    title, text = _font(20), _font(14)
    draw.text((20, 12), "Placement portal bench" + (" (tiny run)" if results["tiny"] else ""), fill="black", font=title)
    y = 50
    draw.text((20, y), "Server time per page: p50 (dark) and p95 (light), ms", fill="black", font=text)
    y += 24
    longest = max([p["p95_ms"] for p in pages] + [1])
    for p in pages:
        draw.text((20, y + 5), p["label"][:52], fill="black", font=text)
        _bar(draw, y, p["p95_ms"] / longest, "#9ecae1")
        _bar(draw, y, p["p50_ms"] / longest, "#3182bd")
        draw.text(
            (LABEL_WIDTH + BAR_WIDTH + 15, y + 5), f"{p['p50_ms']:.0f} / {p['p95_ms']:.0f}", fill="black", font=text
        )
        y += ROW
    y += 20
    draw.text((20, y), "Throughput as a share of the trivial view (black line: the target)", fill="black", font=text)
    y += 24
    scale = 1.0
    for p in load:
        ratio = p["ratio"] or 0
        draw.text((20, y + 5), f"{p['label'][:36]} ({p['rps']:.0f} req/s)", fill="black", font=text)
        _bar(draw, y, min(ratio, scale) / scale, "#31a354" if p["met"] in (True, None) else "#de2d26")
        if p["min_ratio"]:
            x = LABEL_WIDTH + int(BAR_WIDTH * p["min_ratio"] / scale)
            draw.line((x, y, x, y + ROW - 2), fill="black", width=2)
        draw.text((LABEL_WIDTH + BAR_WIDTH + 15, y + 5), f"{ratio:.1%}", fill="black", font=text)
        y += ROW
    image.save(path)

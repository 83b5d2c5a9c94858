"""Checks of the brief's renderings by headless Chromium (used by check_brief.sh).

  check_brief.py png FILE.png [--blank] [--colour RRGGBB ...]
      The screenshot is not blank: more than 16 distinct colours and more than 2% of pixels not
      white (and not all dark). Each --colour must cover at least 100 pixels (within 12 of each
      channel): the charts' scenario colours, so the inline SVG was drawn. With --blank, the
      opposite is expected (the check of the check).
  check_brief.py pdf FILE.pdf
      A PDF of at least two pages, every page A4 (595 x 842 points, within 2).

Uses PIL (Debian python3-pil) when present, else decodes the PNG with zlib.
"""
import collections
import re
import struct
import sys
import zlib


def read_png_rgb(path):
    """Width, height and the count of each (r, g, b) colour."""
    try:
        from PIL import Image

        im = Image.open(path).convert("RGB")
        return im.width, im.height, {colour: n for n, colour in im.getcolors(maxcolors=1 << 24)}
    except ImportError:
        pass
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG")
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in (2, 6) or interlace:
                raise SystemExit(f"{path}: PNG type {colour}/{depth}/{interlace} not decoded without PIL")
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    pixels = []
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        pixels.extend(tuple(line[i:i + 3]) for i in range(0, stride, bpp))
        prev = line
    return width, height, collections.Counter(pixels)


def check_png(path, blank, colours):
    width, height, counts = read_png_rgb(path)
    n = width * height
    distinct = len(counts)
    non_white = sum(c for p, c in counts.items() if min(p) < 245)
    dark = sum(c for p, c in counts.items() if max(p) < 40)
    print(f"{path}: {width}x{height}, {distinct} colours, {100 * non_white / n:.1f}% not white, "
          f"{100 * dark / n:.1f}% dark")
    looks_blank = distinct <= 16 or non_white <= 0.02 * n or dark >= 0.9 * n
    if blank:
        if not looks_blank:
            raise SystemExit(f"{path}: expected blank, but it has content")
        return
    if looks_blank:
        raise SystemExit(f"{path}: blank (few colours or almost all white or dark)")
    for hex_colour in colours:
        want = tuple(int(hex_colour[k:k + 2], 16) for k in (0, 2, 4))
        count = sum(c for p, c in counts.items() if all(abs(p[k] - want[k]) <= 12 for k in range(3)))
        print(f"{path}: colour #{hex_colour}: {count} pixels")
        if count < 100:
            raise SystemExit(f"{path}: the chart colour #{hex_colour} is missing ({count} pixels): the SVG was not drawn")


def check_pdf(path):
    data = open(path, "rb").read()
    if not data.startswith(b"%PDF-"):
        raise SystemExit(f"{path}: not a PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]", data)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    print(f"{path}: {len(data)} bytes, {pages} pages, media boxes {sorted(set(boxes))}")
    if pages < 2:
        raise SystemExit(f"{path}: {pages} page(s); the brief takes more than one A4 page")
    if not boxes:
        raise SystemExit(f"{path}: no /MediaBox found")
    for box in boxes:
        x0, y0, x1, y1 = (float(v) for v in box)
        w, h = x1 - x0, y1 - y0
        if abs(w - 595.3) > 2 or abs(h - 841.9) > 2:
            raise SystemExit(f"{path}: a page is {w:.1f} x {h:.1f} points, not A4 (595 x 842)")


def main(argv):
    if len(argv) >= 2 and argv[0] == "png":
        colours = []
        blank = "--blank" in argv
        for k, a in enumerate(argv):
            if a == "--colour":
                colours.append(argv[k + 1])
        check_png(argv[1], blank, colours)
    elif len(argv) == 2 and argv[0] == "pdf":
        check_pdf(argv[1])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

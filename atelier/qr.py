"""QR codes of join links: SVG for the board, text for the terminal."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg


def qr_svg(data: str) -> str:
    """A square SVG with a quiet zone; dark on white so every phone camera reads it, projector or not."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathFillImage, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    svg = image.to_string(encoding="unicode")
    # Let the board size it: drop the fixed width/height, keep the viewBox.
    return svg.replace('width="', 'data-w="').replace('height="', 'data-h="', 1)


def qr_terminal(data: str) -> str:
    code = qrcode.QRCode(border=1, error_correction=qrcode.constants.ERROR_CORRECT_L)
    code.add_data(data)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue()

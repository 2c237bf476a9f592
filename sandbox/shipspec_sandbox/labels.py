"""Label files the sandboxes serve where a carrier hands out label URLs (Baaship's labels, DeftShip's merged
PDFs): a real, minimal PDF, so a caller that downloads and opens a label gets one."""

from __future__ import annotations

__all__ = ["label_pdf"]

# The label is 100 x 150 mm (BNRTN's documented label size), in PDF points.
_PAGE_WIDTH_PT, _PAGE_HEIGHT_PT = 283, 425


def _pdf_text(line: str) -> str:
    """A PDF literal string body: Latin-1 only (the base-14 font), with \\, ( and ) escaped."""
    safe = line.encode("latin-1", "replace").decode("latin-1")
    return safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def label_pdf(lines: list[str]) -> bytes:
    """A minimal valid one-page PDF 1.4 showing the given lines in Helvetica (xref offsets computed)."""
    text = " ".join(f"({_pdf_text(line)}) Tj 0 -22 Td" for line in lines)
    stream = f"BT /F1 14 Tf 20 {_PAGE_HEIGHT_PT - 40} Td {text} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {_PAGE_WIDTH_PT} {_PAGE_HEIGHT_PT}] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")  # the binary comment tells tools the file is binary
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF" % (len(objects) + 1, xref_at)
    return bytes(out)

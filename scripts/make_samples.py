"""Regenerate the bundled sample dossier in sohoa/samples/ (run: python scripts/make_samples.py).

The samples are synthetic (sohoa_dev.synth): fake names and numbers, rendered and put through
typical scanner defects so the demo shows deskew, orientation and colour handling.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # sohoa_dev is the checkout's, never installed

from sohoa_dev.synth import Scan, make_page, save_scan  # noqa: E402

OUT = ROOT / "sohoa" / "samples"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    form = make_page(101, Scan(dpi=300, skew=2.4, noise=3, blur=0.6),
                     sentences=18, title="TỜ KHAI ĐĂNG KÝ KHAI SINH")
    save_scan(form, OUT / "1-to-khai-khai-sinh.jpg", quality=75)
    cert = make_page(102, Scan(dpi=200, skew=-1.7, turn=180, noise=5, seal=True),
                     sentences=12, title="GIẤY CHỨNG SINH")
    cert.image.convert("RGB").save(OUT / "2-giay-chung-sinh.pdf", resolution=200, quality=80)
    for path in sorted(OUT.iterdir()):
        print(f"{path.name}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()

"""Dumps pydicom's pixel values for every file of pydicom's own test corpus, for DicomConformanceTest.

Usage: python3 pydicom_dump.py OUT_DIR
Writes OUT_DIR/manifest.json (one entry per file: path, status ok/error, message, shape, photometric) and, per
decodable file, <n>.modality.f64 (apply_modality_lut(pixel_array), little-endian float64, frame-major) and,
when the file has a window or VOI LUT, <n>.voi.f64 (apply_voi_lut of that); for colour files <n>.grey.f64
(ITU-R 601 luma of RGB, the Y sample of YBR).
"""
import json
import os
import sys
import warnings

import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut, apply_voi_lut

warnings.simplefilter("ignore")
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
corpus = os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files")
entries = []
n = 0
for root, _dirs, files in sorted(os.walk(corpus)):
    for name in sorted(files):
        path = os.path.join(root, name)
        if name.endswith((".txt", ".json", ".gz", ".dump", ".py", ".bz2", ".zip")):
            continue
        entry = {"path": path}
        try:
            ds = pydicom.dcmread(path, force=True)
            if "PixelData" not in ds:
                continue
            entry["photometric"] = str(ds.get("PhotometricInterpretation", ""))
            entry["spp"] = int(ds.get("SamplesPerPixel", 1))
            arr = ds.pixel_array
            frames = int(ds.get("NumberOfFrames", 1) or 1)
            mod = apply_modality_lut(arr, ds).astype("<f8")
            entry.update(status="ok", frames=frames, rows=int(ds.Rows), columns=int(ds.Columns), id=n)
            mod.tofile(os.path.join(out, "%d.modality.f64" % n))
            if entry["spp"] == 3:
                rgb = arr.astype("<f8")
                if entry["photometric"].startswith("YBR"):
                    grey = rgb[..., 0]  # pydicom 2.x keeps YBR in pixel_array: its first sample is luma
                else:
                    grey = 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]
                grey.astype("<f8").tofile(os.path.join(out, "%d.grey.f64" % n))
            has_voi = ("WindowCenter" in ds and "WindowWidth" in ds) or ds.get("VOILUTSequence")
            if has_voi and entry["photometric"].startswith("MONOCHROME"):
                try:
                    voi = apply_voi_lut(mod, ds).astype("<f8")
                    voi.tofile(os.path.join(out, "%d.voi.f64" % n))
                    entry["voi"] = True
                except Exception as e:  # pydicom cannot window it: compare modality values only
                    entry["voiError"] = "%s: %s" % (type(e).__name__, e)
            n += 1
        except Exception as e:
            entry.update(status="error", message="%s: %s" % (type(e).__name__, e))
        entries.append(entry)
with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump({"pydicom": pydicom.__version__, "corpus": corpus, "entries": entries}, f, indent=1)

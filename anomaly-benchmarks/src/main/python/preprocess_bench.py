#!/usr/bin/env python3
"""The Python/OpenCV side of PreprocessBenchmark: the same preprocessing as the library's named pipelines.

Reads a list of image files (one path a line), runs one pipeline over them (or only decodes them, or, with
--stages-only, runs only the pipeline's steps on images decoded beforehand) with a pool of worker threads
(OpenCV releases the GIL inside its calls) and prints one JSON line:
{"pipeline": ..., "images": N, "threads": T, "opencvThreads": C, "opencv": version, "rounds": [images/s, ...],
 "cpuMicrosPerImage": [CPU time of the workers per image, ...]}.

Pipelines (what the Java stages do, written the way one would in Python):
  default: cv2.imread grayscale -> resize (longest side = size, INTER_AREA when shrinking, INTER_LINEAR when
           enlarging) -> min-max normalise to float32 [0, 1] -> copyMakeBorder to size x size (centred, 0), plus the
           validity mask (255 content, 0 padding) padded the same way
  chest:   cv2.imread grayscale -> min-max to 8 bits -> CLAHE (clip 2.0, 8x8 tiles) -> the default steps
Needs Debian's python3-opencv (cv2) and numpy: run it with /usr/bin/python3.
"""
import argparse
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import cv2
import numpy as np

_local = threading.local()


def _clahe():
    c = getattr(_local, "clahe", None)
    if c is None:
        c = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))
        _local.clahe = c
    return c


def decode(path):
    img = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
    if img is None:
        raise IOError("cannot decode " + path)
    return img


def stages(img, pipeline, size):
    if pipeline == "chest":
        img = cv2.normalize(img, None, 0, 255, cv2.NORM_MINMAX, dtype=cv2.CV_8U)
        img = _clahe().apply(img)
    h, w = img.shape
    longest = max(w, h)
    if w >= h:
        tw, th = size, max(1, int(round(h * size / longest)))
    else:
        tw, th = max(1, int(round(w * size / longest))), size
    if (tw, th) != (w, h):
        img = cv2.resize(img, (tw, th), interpolation=cv2.INTER_AREA if longest > size else cv2.INTER_LINEAR)
    unit = cv2.normalize(img, None, 0.0, 1.0, cv2.NORM_MINMAX, dtype=cv2.CV_32F)
    left = (size - tw) // 2
    top = (size - th) // 2
    right = size - tw - left
    bottom = size - th - top
    pixels = cv2.copyMakeBorder(unit, top, bottom, left, right, cv2.BORDER_CONSTANT, value=0)
    mask = cv2.copyMakeBorder(np.full((th, tw), 255, np.uint8), top, bottom, left, right, cv2.BORDER_CONSTANT, value=0)
    return float(pixels[size // 2, size // 2]) + int(mask[0, 0])


def process(item, pipeline, size):
    """item: a path (decode first) or an already decoded image (--stages-only)."""
    img = decode(item) if isinstance(item, str) else item
    if pipeline == "decode":
        return int(img[0, 0])
    return stages(img, pipeline, size)


def run(files, pipeline, size, threads):
    """Returns (images/s of wall time, CPU microseconds per image summed over the workers)."""
    def part(k):
        t = time.thread_time()
        checksum = sum(process(f, pipeline, size) for f in files[k::threads])
        return checksum, time.thread_time() - t

    start = time.perf_counter()
    # one task per worker, each taking every n-th file (as the Java side does): no per-image task overhead
    with ThreadPoolExecutor(max_workers=threads) as pool:
        parts = list(pool.map(part, range(threads)))
    wall = time.perf_counter() - start
    cpu = sum(c for _, c in parts)
    return len(files) / wall, cpu / len(files) * 1e6


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--files", required=True, help="text file listing the images, one path a line")
    p.add_argument("--pipeline", choices=["decode", "default", "chest"], default="default",
                   help="decode: cv2.imread only; default, chest: decode and the pipeline's steps")
    p.add_argument("--stages-only", action="store_true",
                   help="decode the files once beforehand and time only the pipeline's steps")
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--opencv-threads", type=int, default=1, help="cv2.setNumThreads (default 1)")
    p.add_argument("--warmup", type=int, default=200, help="images processed once before timing")
    p.add_argument("--rounds", type=int, default=3)
    a = p.parse_args()
    with open(a.files, encoding="utf-8") as f:
        files = [line.rstrip("\n") for line in f if line.strip()]
    if not files:
        sys.exit("no files listed in " + a.files)
    cv2.setNumThreads(a.opencv_threads)
    if a.stages_only:
        files = [decode(f) for f in files]
    run(files[: a.warmup], a.pipeline, a.size, a.threads)
    results = [run(files, a.pipeline, a.size, a.threads) for _ in range(a.rounds)]
    print(json.dumps({"pipeline": a.pipeline, "stagesOnly": a.stages_only, "images": len(files), "threads": a.threads,
                      "opencvThreads": a.opencv_threads, "opencv": cv2.__version__, "rounds": [r[0] for r in results],
                      "cpuMicrosPerImage": [r[1] for r in results]}))


if __name__ == "__main__":
    main()

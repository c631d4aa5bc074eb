#!/usr/bin/env -S /usr/bin/python3
"""Which BLAS torch runs on, OpenBLAS's kernel and pool size, and a 1024^3 sgemm timing.

  blas_info.py --threads 1
"""

import argparse
import ctypes
import ctypes.util
import json
import os
import re
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--size", type=int, default=1024)
    args = parser.parse_args()
    if args.threads < 1 or args.size < 16:
        parser.error("--threads must be >= 1 and --size >= 16")
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)  # as e2e_bench.py does
    import time

    import torch

    torch.set_num_threads(args.threads)
    build = torch.__config__.show()
    info = {"torch": torch.__version__,
            "build": re.findall(r"(?:BLAS_INFO|LAPACK_INFO|USE_MKLDNN|USE_OPENMP)=\w+|CPU capability usage: \w+", build),
            "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"), "OPENBLAS_L2_SIZE": os.environ.get("OPENBLAS_L2_SIZE")}
    try:
        lib = ctypes.CDLL(ctypes.util.find_library("openblas") or "libopenblas.so.0")
        lib.openblas_get_config.restype = ctypes.c_char_p
        lib.openblas_get_corename.restype = ctypes.c_char_p
        info.update(openblas=lib.openblas_get_config().decode(), openblas_core=lib.openblas_get_corename().decode(),
                    openblas_threads=lib.openblas_get_num_threads())
    except OSError as e:
        info["openblas"] = f"not loaded: {e}"
    with open("/proc/self/maps", encoding="utf-8") as maps:
        info["blas_libraries"] = sorted({line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line})
    a, b = torch.randn(args.size, args.size), torch.randn(args.size, args.size)
    for _ in range(3):
        a @ b
    runs = 10
    start = time.perf_counter()
    for _ in range(runs):
        a @ b
    seconds = (time.perf_counter() - start) / runs
    info.update(threads=args.threads, sgemm_ms=round(seconds * 1e3, 2), sgemm_gflops=round(2 * args.size ** 3 / seconds / 1e9, 1),
                load_average=round(os.getloadavg()[0], 2))
    print(json.dumps(info, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

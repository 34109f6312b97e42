"""cuBLAS SGEMM through PyTorch: the reference for bench/gpu/matmul-gpu.ts (issue #15, H200).

torch.matmul of square fp32 matrices at 1024, 2048 and 4096 with TF32 off (true fp32
SGEMM, the precision vyre-web's matmul computes in), timed with CUDA events: median and
p95 of 30 calls after 5 warm-up calls, GFLOP/s = 2·n³ / time. Also the device-to-device
copy bandwidth (a 1 GiB tensor cloned: 1 GiB read + 1 GiB written), for the element-wise
goal's reference.

Run on the GPU machine, before matmul-gpu.mjs so that it can print the "% of cuBLAS"
column from this script's JSON:
  python3 bench/gpu/torch-matmul.py [output folder]   # default: $OUT, else bench-results
Writes <folder>/torch-matmul.json. Environment: MATMUL_SIZES (default 1024,2048,4096).
"""
import json
import math
import os
import statistics
import sys

import torch

SIZES = [int(size) for size in os.environ.get("MATMUL_SIZES", "1024,2048,4096").split(",")]
WARMUP = 5
ROUNDS = 30
COPY_BYTES = 1 << 30


def percentile(values, q):
    """The same nearest-rank percentile as bench/summary.ts."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))]


def time_calls(call, rounds=ROUNDS, warmup=WARMUP):
    """GPU milliseconds of each call, from CUDA events around it on the current stream."""
    for _ in range(warmup):
        call()
    torch.cuda.synchronize()
    times = []
    for _ in range(rounds):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        call()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))
    return times


def summary(times):
    return {"n": len(times), "median": statistics.median(times), "p95": percentile(times, 0.95), "min": min(times)}


def bench_matmul(n):
    generator = torch.Generator(device="cuda").manual_seed(n)
    # Inputs in [-1, 1), like matmul-gpu.ts.
    a = torch.rand(n, n, device="cuda", dtype=torch.float32, generator=generator) * 2 - 1
    b = torch.rand(n, n, device="cuda", dtype=torch.float32, generator=generator) * 2 - 1
    c = torch.empty(n, n, device="cuda", dtype=torch.float32)
    times = time_calls(lambda: torch.matmul(a, b, out=c))
    # A check that this really is fp32: against the f64 product, within the bound of any f32
    # summation order, |C − AB| ≤ (K+1)·2⁻²⁴·Σ|a·b| (TF32 would miss it by orders of magnitude).
    exact = torch.matmul(a.double(), b.double())
    bound = (n + 1) * 2.0**-24 * torch.matmul(a.double().abs(), b.double().abs())
    worst = float(((c.double() - exact).abs() / bound).max())
    s = summary(times)
    flop = 2 * n**3
    return {
        "n": n,
        "ms": s,
        "gflops_median": flop / (s["median"] * 1e6),
        "gflops_p95": flop / (s["p95"] * 1e6),
        "worst_error_over_bound": worst,
        "samples_ms": times,
    }


def bench_copy():
    source = torch.empty(COPY_BYTES // 4, device="cuda", dtype=torch.float32).uniform_()
    target = torch.empty_like(source)
    times = time_calls(lambda: target.copy_(source), rounds=20, warmup=3)
    s = summary(times)
    # Read + written, as gpu-bench counts its copies.
    return {"bytes": COPY_BYTES, "ms": s, "gb_per_s_median": 2 * COPY_BYTES / (s["median"] * 1e6), "samples_ms": times}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("OUT", "bench-results")
    if not torch.cuda.is_available():
        sys.exit("torch-matmul: CUDA is not available to torch on this machine")
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.set_float32_matmul_precision("highest")
    gpu = torch.cuda.get_device_name(0)
    matmul = [bench_matmul(n) for n in SIZES]
    copy = bench_copy()
    print(f"GPU: {gpu}; torch {torch.__version__}, CUDA {torch.version.cuda}; TF32 off (allow_tf32 = {torch.backends.cuda.matmul.allow_tf32})")
    print("\n| torch.matmul fp32 (cuBLAS SGEMM) | n | GPU time median (p95) | GFLOP/s median (at p95) | worst error / bound |")
    print("|---|---:|---:|---:|---:|")
    for row in matmul:
        print(f"| torch.matmul | {row['n']} | {row['ms']['median']:.3f} ({row['ms']['p95']:.3f}) ms | {row['gflops_median']:.0f} ({row['gflops_p95']:.0f}) | {row['worst_error_over_bound']:.3f} |")
    print(f"\ndevice-to-device copy, 1 GiB clone: {copy['ms']['median']:.3f} ms median, {copy['gb_per_s_median']:.0f} GB/s (read + written)")
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "torch-matmul.json")
    with open(path, "w") as file:
        json.dump({"gpu": gpu, "torch": torch.__version__, "cuda": torch.version.cuda, "tf32": False, "matmul": matmul, "copy": copy}, file, indent=2)
    print(f"wrote {path}")
    if any(row["worst_error_over_bound"] > 1 for row in matmul):
        sys.exit("torch-matmul: a product is outside the fp32 bound: TF32 or another reduced precision is on")


main()

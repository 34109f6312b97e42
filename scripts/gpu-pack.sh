#!/usr/bin/env bash
# Packs into .gpu/ (git-ignored) what the bundled GPU benchmarks need to run on a Linux x64
# machine with an NVIDIA GPU that has no Node.js and no npm packages: this machine's node
# binary, the `webgpu` package (Dawn's Node binding) with its Linux x64 dawn.node, the
# Vulkan and GL loader libraries as Debian packages, and .gpu/run.sh, which unpacks them
# there and runs a script. `npm run bench:gpu` runs scripts/build-gpu-bench.mjs first,
# which bundles bench/gpu/*.ts into .gpu/*.mjs; this script only packs.
#
# On the GPU machine, with the repository (or just its .gpu/ folder) copied over:
#   bash .gpu/run.sh .gpu/gpu-bench.mjs
#
# The big files are xz-compressed here and unpacked once there, to keep the copy small.
# Needs: node, xz, and apt-get (Debian/Ubuntu) for the loader packages.
# WEBGPU_DIR points at another `webgpu` package directory than the installed one.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "gpu-pack: $*" >&2; exit 1; }

[ "$(uname -s)" = Linux ] || fail "packs Linux binaries; run it on Linux x64 (found $(uname -s))"
[ "$(uname -m)" = x86_64 ] || fail "packs x64 binaries (node, dawn.node); this machine is $(uname -m)"
command -v xz >/dev/null || fail "xz is missing (Debian: apt-get install xz-utils)"

mkdir -p .gpu/debs .gpu/node_modules/webgpu

# 1. node: the binary itself (process.execPath), not a version manager's shim. Packed again
#    when the version changes.
node_bin=$(node -p 'process.execPath')
node_version=$(node -p 'process.version')
if [ ! -f .gpu/node.xz ] || [ "$(cat .gpu/node.version 2>/dev/null)" != "$node_version" ]; then
  echo "gpu-pack: compressing node $node_version"
  xz -T0 -6 -c "$node_bin" > .gpu/node.xz
  echo "$node_version" > .gpu/node.version
fi

# 2. The `webgpu` package: its JavaScript entry and the Linux x64 Dawn binary. index.js
#    imports only Node built-ins and loads dist/<platform>-<arch>/dawn.node.
webgpu=${WEBGPU_DIR:-$(node -p "require('node:path').dirname(require.resolve('webgpu/package.json'))" 2>/dev/null || true)}
[ -n "$webgpu" ] && [ -f "$webgpu/package.json" ] || fail "the webgpu package is not installed (run npm ci, or set WEBGPU_DIR)"
dawn="$webgpu/dist/linux-x64/dawn.node"
[ -f "$dawn" ] || fail "$dawn is missing"
cp "$webgpu/package.json" "$webgpu/index.js" .gpu/node_modules/webgpu/
if [ ! -f .gpu/dawn.node.xz ] || [ "$dawn" -nt .gpu/dawn.node.xz ]; then
  echo "gpu-pack: compressing dawn.node ($(node -p "require('$webgpu/package.json').version"))"
  xz -T0 -6 -c "$dawn" > .gpu/dawn.node.xz
fi

# 3. The Vulkan loader (Dawn's backend) and the GL/EGL loaders the NVIDIA driver's Vulkan
#    ICD links against, which a bare container often lacks. Downloaded once.
debs=(libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
if ! ls .gpu/debs/libvulkan1_*.deb >/dev/null 2>&1; then
  command -v apt-get >/dev/null || fail "apt-get is missing: put the .deb files of ${debs[*]} into .gpu/debs/ by hand"
  echo "gpu-pack: downloading ${debs[*]}"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq >/dev/null 2>&1 || echo "gpu-pack: apt-get update failed; trying the package lists already here" >&2; fi
  # As root, apt warns that its sandbox user cannot write here; the download is fine.
  (cd .gpu/debs && apt-get download -qq "${debs[@]}" 2>&1 | { grep -v '^W: Download is performed unsandboxed' || true; }) \
    || fail "apt-get download failed (no package lists? run apt-get update as root)"
fi

# 4. The runner, for the GPU machine.
cat > .gpu/run.sh <<'RUN'
#!/usr/bin/env bash
# Runs a bundled script with the node and Dawn packed by scripts/gpu-pack.sh:
#   bash .gpu/run.sh [node options] .gpu/<script>.mjs [args...]
# Unpacks node and dawn.node next to this file on first use, and installs the Vulkan/GL
# loader packages: into / when run as root (then ldconfig), else into .gpu/sysroot with
# LD_LIBRARY_PATH pointing there. Output files go to $OUT when set, else ./bench-results.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ "$(id -u)" = 0 ]; then
  for deb in "$here"/debs/*.deb; do dpkg -x "$deb" /; done
  ldconfig
else
  if [ ! -d "$here/sysroot" ]; then
    for deb in "$here"/debs/*.deb; do dpkg -x "$deb" "$here/sysroot"; done
  fi
  export LD_LIBRARY_PATH="$here/sysroot/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi

# The NVIDIA Vulkan driver manifest: where container runtimes mount it, unless the caller chose.
if [ -z "${VK_DRIVER_FILES:-}" ]; then
  for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
    if [ -f "$icd" ]; then export VK_DRIVER_FILES=$icd; break; fi
  done
fi

if [ ! -x "$here/bin/node" ]; then
  mkdir -p "$here/bin"
  xz -dc "$here/node.xz" > "$here/bin/node.part" && chmod +x "$here/bin/node.part" && mv "$here/bin/node.part" "$here/bin/node"
fi
dawn="$here/node_modules/webgpu/dist/linux-x64/dawn.node"
if [ ! -f "$dawn" ]; then
  mkdir -p "$(dirname "$dawn")"
  xz -dc "$here/dawn.node.xz" > "$dawn.part" && mv "$dawn.part" "$dawn"
fi

exec "$here/bin/node" "$@"
RUN
chmod +x .gpu/run.sh

scripts=$(cd .gpu && ls ./*.mjs 2>/dev/null | sed 's|^\./||' | tr '\n' ' ' || true)
echo "gpu-pack: .gpu/ holds $(du -sh .gpu | cut -f1)${scripts:+; scripts: $scripts}"
echo "gpu-pack: copy the repository with .gpu/ to the GPU machine; there, from its root: bash .gpu/run.sh .gpu/gpu-bench.mjs"

// Chrome flags that give a real WebGPU adapter on machines without a GPU (SwiftShader,
// a software Vulkan), headless and headed, on a closed network.
export const CHROME_WEBGPU_FLAGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--enable-unsafe-swiftshader',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The Chrome to drive: $CHROME_PATH, else Debian's chromium. */
export const CHROME_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';

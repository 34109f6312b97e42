import type { Browser } from 'puppeteer-core';
export declare const FIREFOX_PATH: string;
export declare const FIREFOX_WEBGPU_PREFS: Record<string, boolean>;
export declare function launchFirefox(options?: { userDataDir?: string; headless?: boolean }): Promise<Browser>;

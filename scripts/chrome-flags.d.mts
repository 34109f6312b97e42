export declare const CHROME_WEBGPU_FLAGS: string[];
export declare const CHROME_PATH: string;

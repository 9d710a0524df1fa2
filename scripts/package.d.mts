// Types of scripts/package.mjs (for test/unit/vsix.test.ts, npmPackage.test.ts and action.test.ts).
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  offset: number;
}
export declare function listSourceFiles(dir: string): string[];
export declare function stageSources(dir: string, stage: string): string;
export declare function packageVsix(
  extDir?: string,
  options?: { out?: string; quiet?: boolean; placeholders?: boolean },
): Promise<{ file: string; size: number }>;
export declare function packCli(
  dir?: string,
  options?: { outDir?: string },
): Promise<{ file: string; size: number; files: string[] }>;
export declare function zipEntries(file: string): ZipEntry[];
export declare function zipRead(file: string, name: string): Buffer;

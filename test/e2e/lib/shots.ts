// The README's screenshots: taken by test/e2e/screenshots.ts (`npm run screenshots`) in code-server
// at one fixed window size, written to docs/images/ under these names. test/unit/images.test.ts
// checks the committed files against this list.

/** The browser window of every screenshot (CSS pixels, device scale 1). */
export const SHOT_SIZE = { width: 1280, height: 800 } as const;

/** Each PNG stays under this size (bytes). */
export const MAX_SHOT_BYTES = 300 * 1024;

export const IMAGES_DIR = 'docs/images';

export const SHOTS = {
  diagnostics: {
    file: 'diagnostics-quick-fix.png',
    alt: 'A NetworkPolicy with the NPP03 warning: the squiggle, the Problems panel and the quick fix menu',
  },
  hover: {
    file: 'hover-policytypes.png',
    alt: 'The hover on policyTypes explains which directions the policy isolates',
  },
  diagram: {
    file: 'traffic-diagram.png',
    alt: 'The traffic diagram of the shop namespace beside its policies',
  },
  gitCompare: {
    file: 'git-compare.png',
    alt: 'Compare Connectivity with Git HEAD: the report of the connection an edit adds',
  },
} as const;

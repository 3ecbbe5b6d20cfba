// Size budgets (min+gzip) of the built entries, after `npm run build`: `npx size-limit` (or `npx size-limit --json`).
// tests/size/size.test.ts builds into a temp folder and checks the same budgets on every `npm test`.
// esbuild bundles each entry with its chunks, minified; imports listed in `ignore` are left out (size-limit also
// leaves out every peerDependency on its own).

/** Peers and runtime libraries an app already has or shares: not our bytes. */
const peers = ['react', 'react-dom', '@tanstack/react-query', '@tanstack/react-virtual', 'zustand', 'ws']
/** The markdown engine of the components, reported on its own (the third check) instead of inside their budget. */
const markdownEngine = ['marked', 'dompurify', 'highlight.js']

module.exports = [
  {
    // Goal: 8 kB. Not reachable without dropping features: the framework-free engine the hook needs (ChatController +
    // createOpenClawClient + reducer + decoder) is ~9.4 kB on its own. This budget keeps the entry from growing.
    name: 'headless (openclaw-chat)',
    path: 'dist/index.js',
    limit: '14 kB',
    gzip: true,
    ignore: [...peers, ...markdownEngine],
  },
  {
    name: 'components (openclaw-chat/components)',
    path: 'dist/components.js',
    limit: '25 kB',
    gzip: true,
    ignore: [...peers, ...markdownEngine],
  },
  {
    // No budget: the same entry with the markdown engine bundled in. Engine ≈ this − the check above.
    name: 'components + markdown engine (marked, dompurify, highlight.js)',
    path: 'dist/components.js',
    gzip: true,
    ignore: peers,
  },
]

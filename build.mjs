// Bundles the compiled CLI (dist/src, from tsc) into dist/bin: one ESM entry plus chunks that
// load on demand (each command; the HTTP client and sandbox after the agent is ready). Loading
// one bundle instead of hundreds of package files is most of what gets a cached, offline agent
// ready in well under half a second on a small device.
import { rmSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { build } from 'esbuild';

// esbuild names chunks by content and never deletes: without this, every build's chunks pile up.
rmSync('dist/bin', { recursive: true, force: true });

const result = await build({
  // The machine probe runs in a process of its own (detect-machine.ts): systeminformation is
  // bundled into its chunks and never loads in the daemon.
  entryPoints: {
    main: 'dist/src/main.js',
    'machine-probe': 'dist/src/adapters/system-facts/machine-probe-main.js',
  },
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  // Some dependencies are CommonJS and call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __elaRequire } from 'node:module'; const require = __elaRequire(import.meta.url);",
  },
  logLevel: 'warning',
  metafile: true,
});
// BUNDLE_META=1: what each chunk holds, for questions about size (esbuild.github.io/analyze).
if (process.env.BUNDLE_META === '1')
  writeFileSync('dist/bin-meta.json', JSON.stringify(result.metafile));

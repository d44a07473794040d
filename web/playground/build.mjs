// Deterministic esbuild build of the offline GraphiQL playground.
//
// Output (dist/):
//   index.html                      html/template source, parsed by playground.go
//   playground/graphiql-<hash>.js   React + GraphiQL bundle (minified IIFE)
//   playground/graphiql-<hash>.css  GraphiQL styles (latin fonts embedded as data: URLs)
//
// Determinism: no timestamps, no absolute paths, no source maps; file names carry
// a content hash; dist/ is wiped before each build. `npm run build` twice must give
// byte-identical files (see README.md).
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(root, 'dist');
const assetDir = 'playground';

// GraphiQL's stylesheet embeds Roboto and Fira Code as data: URLs for ~34 unicode
// subsets (~350 KB). Keep only the basic-latin subsets (unicode-range starting at
// U+0000-00FF); other scripts fall back to the system sans-serif / monospace fonts.
const trimFonts = {
  name: 'trim-graphiql-fonts',
  setup(b) {
    b.onLoad({ filter: /[\\/]graphiql[\\/]dist[\\/]style\.css$/ }, async (args) => {
      const css = await readFile(args.path, 'utf8');
      let kept = 0;
      let dropped = 0;
      const out = css.replace(/@font-face\s*\{[^}]*\}/g, (block) => {
        if (/unicode-range:\s*U\+0000-00FF\b/i.test(block)) {
          kept++;
          return block;
        }
        dropped++;
        return '';
      });
      if (kept === 0) {
        throw new Error('trim-graphiql-fonts: no latin @font-face found; GraphiQL CSS changed?');
      }
      return { contents: out, loader: 'css' };
    });
  },
};

await rm(dist, { recursive: true, force: true });
await mkdir(path.join(dist, assetDir), { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { graphiql: 'src/main.jsx' },
  outdir: path.join(dist, assetDir),
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  jsx: 'automatic',
  loader: { '.js': 'jsx' },
  define: { 'process.env.NODE_ENV': '"production"' },
  sourcemap: false,
  legalComments: 'eof',
  charset: 'utf8',
  metafile: true,
  logLevel: 'warning',
  plugins: [trimFonts],
});

const outputs = Object.keys(result.metafile.outputs)
  .map((p) => path.relative(dist, path.resolve(root, p)).split(path.sep).join('/'))
  .sort();
const js = outputs.filter((p) => p.endsWith('.js'));
const css = outputs.filter((p) => p.endsWith('.css'));
if (js.length !== 1 || css.length !== 1 || outputs.length !== 2) {
  throw new Error(`unexpected build outputs: ${outputs.join(', ')}`);
}

// index.html is an html/template: playground.go fills in {{.PageTitle}} and the JSON
// {{.Config}} (html/template JSON-encodes it in the application/json script).
// Asset URLs are relative so the page also works behind http.StripPrefix.
const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{.PageTitle}}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="./${css[0]}">
<script type="application/json" id="config">{{.Config}}</script>
<script defer src="./${js[0]}"></script>
</head>
<body>
<noscript>The GraphQL playground needs JavaScript.</noscript>
<div id="graphiql"></div>
</body>
</html>
`;
await writeFile(path.join(dist, 'index.html'), html);

for (const f of ['index.html', ...outputs]) {
  const { size } = await import('node:fs').then((fs) => fs.statSync(path.join(dist, f)));
  console.log(`dist/${f}\t${size} bytes`);
}

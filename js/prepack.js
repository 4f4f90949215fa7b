// npm runs this before it packs this folder (npm pack, npm publish): it
// refuses to pack without the files that `make build` copies in, which npm
// would otherwise leave out of the tarball without a word.

import { existsSync } from 'node:fs'

const built = ['authfetch.wasm', 'wasm_exec.js', 'LICENSE', 'README.md']
const missing = built.filter((name) => !existsSync(new URL(name, import.meta.url)))
if (missing.length > 0) {
  console.error(`authfetch: the package folder lacks ${missing.join(', ')}: run make build in the repository first`)
  process.exit(1)
}

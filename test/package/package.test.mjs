// The package as npm packs and publishes js/ once make build filled it in:
// the files it ships, npm publish --dry-run, its licences, what its exports
// offer, and its types under TypeScript's bundler, node16 and node10 module
// resolution, checked against the tarball's own contents.

import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))
const packageDir = join(root, 'js')
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'))
/** Scratch space inside the repository, so that the consumer finds vue and typescript in its node_modules. */
const scratch = join(root, 'build', 'package-test')
const consumer = join(scratch, 'consumer')
const installed = join(consumer, 'node_modules', 'authfetch')

/** What npm puts in every tarball besides "files". */
const alwaysPacked = ['package.json', 'README.md', 'LICENSE']

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
const goEnv = (name) => run(process.env.GO ?? 'go', ['env', name], root).trim()

let packed // npm pack --json's report of the one tarball

before(() => {
  rmSync(scratch, { recursive: true, force: true })
  mkdirSync(installed, { recursive: true })
  ;[packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', scratch], packageDir))
  run('tar', ['-xzf', join(scratch, packed.filename), '-C', installed, '--strip-components=1'], root)
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
  cpSync(fileURLToPath(new URL('consumer.ts', import.meta.url)), join(consumer, 'consumer.ts'))
})

test('npm pack ships exactly the files the package names, and what npm adds', () => {
  assert.equal(packed.filename, `${manifest.name}-${manifest.version}.tgz`)
  assert.deepEqual(packed.files.map((f) => f.path).sort(), [...manifest.files, ...alwaysPacked].sort())
})

test('npm publish --dry-run publishes the same files', () => {
  const report = JSON.parse(run('npm', ['publish', '--dry-run', '--json'], packageDir))
  const published = report[manifest.name] ?? report
  assert.equal(published.id, `${manifest.name}@${manifest.version}`)
  assert.deepEqual(published.files.map((f) => f.path).sort(), packed.files.map((f) => f.path).sort())
})

test('the package ships wasm_exec.js as the toolchain has it, beside the module', () => {
  const toolchain = readFileSync(join(goEnv('GOROOT'), 'lib', 'wasm', 'wasm_exec.js'))
  assert.ok(readFileSync(join(installed, 'wasm_exec.js')).equals(toolchain), "wasm_exec.js is Go's, byte for byte")
  const wasm = readFileSync(join(installed, 'authfetch.wasm'))
  assert.ok(WebAssembly.validate(wasm), 'authfetch.wasm is WebAssembly')
})

test('the package carries its licence and the licences of the Go code in the module', () => {
  assert.equal(manifest.license, 'MIT')
  assert.equal(readFileSync(join(installed, 'LICENSE'), 'utf8'), readFileSync(join(root, 'LICENSE'), 'utf8'))
  const notice = readFileSync(join(installed, 'NOTICE'), 'utf8')
  assert.ok(notice.includes(readFileSync(join(goEnv('GOROOT'), 'LICENSE'), 'utf8')), "NOTICE holds Go's LICENSE")
  const linked = new Map(linkedModules().map((line) => line.split(' ')))
  const named = [...notice.matchAll(/^== (\S+) \(in authfetch\.wasm\) ==$/gm)].map((m) => m[1])
  assert.deepEqual(named.sort(), [...linked.keys()].sort(), 'NOTICE names each module linked into the .wasm, and no other')
  for (const [path, dir] of linked) {
    assert.ok(notice.includes(readFileSync(join(dir, 'LICENSE'), 'utf8')), `NOTICE holds ${path}'s LICENSE`)
  }
})

/** "path dir" of each module other than authfetch's own that the .wasm links. */
function linkedModules() {
  const format = '{{with .Module}}{{if not .Main}}{{.Path}} {{.Dir}}{{end}}{{end}}'
  const out = execFileSync(process.env.GO ?? 'go', ['list', '-deps', '-f', format, './wasm'], {
    cwd: root, encoding: 'utf8', env: { ...process.env, GOOS: 'js', GOARCH: 'wasm' },
  })
  return [...new Set(out.split('\n').filter(Boolean))]
}

test('exports offer the loader, the Vue glue and the .wasm, by name', () => {
  const resolved = JSON.parse(run(process.execPath, ['--input-type=module', '-e',
    `console.log(JSON.stringify(['authfetch', 'authfetch/vue', 'authfetch/authfetch.wasm'].map((s) => import.meta.resolve(s))))`], consumer))
  assert.deepEqual(resolved.map((u) => fileURLToPath(u)), ['authfetch.js', 'vue.js', 'authfetch.wasm'].map((f) => join(installed, f)))
})

for (const [resolution, module] of [['bundler', 'esnext'], ['node16', 'node16'], ['node10', 'esnext']]) {
  test(`its types resolve under TypeScript's ${resolution} module resolution`, () => {
    const config = join(consumer, `tsconfig.${resolution}.json`)
    writeFileSync(config, JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, target: 'es2022', lib: ['es2022', 'dom'], skipLibCheck: false,
        module, moduleResolution: resolution, types: [],
      },
      files: ['consumer.ts'],
    }))
    try {
      run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', config], consumer)
    } catch (err) {
      assert.fail(`tsc under ${resolution} resolution:\n${err.stdout}${err.stderr}`)
    }
  })
}

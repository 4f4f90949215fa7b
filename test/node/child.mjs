// Runs a script in a Node process of its own, as a server renderer or a
// test runner would import authfetch: a rejection left unhandled ends such a
// process (Node's default), and a timer or socket left open keeps it alive,
// which a test inside this process could not see.

import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The package folder: scripts run there, so 'authfetch' and 'authfetch/vue' resolve to it by name. */
export const packageDir = fileURLToPath(new URL('../../js/', import.meta.url))

/**
 * Runs source as an ES module in a new node process in packageDir, and
 * resolves with its exit code, what it printed, and the JSON value of its
 * last line of output. A process still running after limitMs is killed and
 * reported as such: it would not have exited on its own.
 */
export function runScript(source, limitMs = 10_000) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', source], { cwd: packageDir })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (b) => { stdout += b })
    child.stderr.on('data', (b) => { stderr += b })
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const last = stdout.trim().split('\n').at(-1)
      let value
      try {
        value = JSON.parse(last)
      } catch {
        value = undefined
      }
      resolve({ code, exitedOnItsOwn: signal === null, stdout, stderr, value })
    })
  })
}

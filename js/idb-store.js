// One IndexedDB object store, opened for one request at a time: what the DPoP
// keys (dpop.js) and the refresh courier's answers (authfetch-sw.js) keep.

/**
 * Runs op on the store of the database db (made on first use, with that one
 * store), and resolves with its request's result once the transaction
 * committed.
 */
export function withStore(db, store, mode, op) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(db, 1)
    open.onupgradeneeded = () => open.result.createObjectStore(store)
    open.onerror = () => reject(open.error)
    open.onsuccess = () => {
      const conn = open.result
      const tx = conn.transaction(store, mode)
      const req = op(tx.objectStore(store))
      tx.oncomplete = () => { conn.close(); resolve(req?.result) }
      tx.onerror = tx.onabort = () => { conn.close(); reject(tx.error) }
    }
  })
}

import type http from 'node:http'
import type { AddressInfo } from 'node:net'

/** Starts `server` on 127.0.0.1 on a free port and resolves to that port. */
export function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve((server.address() as AddressInfo).port)
    })
  })
}

/** Stops `server`, dropping the connections still open (keep-alive ones included). */
export async function stop(server: http.Server): Promise<void> {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
}

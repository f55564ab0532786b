// Unit tests never leave the machine: any connection to a non-loopback host
// fails loudly (AVP runs its CI under `--network none`; docs/design/engineering-rules.md).
import net from 'node:net'

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/

type Connect = (...args: unknown[]) => net.Socket
const originalConnect = net.Socket.prototype.connect as Connect

/** The host a `socket.connect(...)` call targets; unix sockets count as local. */
function hostOf(args: unknown[]): string {
  const [first, second] = args
  if (typeof first === 'object' && first !== null) {
    const opts = first as { host?: unknown; path?: unknown }
    if (typeof opts.path === 'string') return 'localhost'
    return typeof opts.host === 'string' ? opts.host : 'localhost'
  }
  if (typeof first === 'string') return 'localhost'
  return typeof second === 'string' ? second : 'localhost'
}

const guardedConnect: Connect = function (this: net.Socket, ...args: unknown[]) {
  const host = hostOf(args)
  if (!LOOPBACK.test(host)) {
    throw new Error(`unit tests must not connect to ${host}: only loopback is allowed`)
  }
  return originalConnect.apply(this, args)
}
net.Socket.prototype.connect = guardedConnect

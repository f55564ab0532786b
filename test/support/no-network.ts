// Unit tests never leave the machine: any connection to a non-loopback host
// fails loudly (AVP runs its CI under `--network none`; style guide B.7).
import net from 'node:net'

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/

const originalConnect = net.Socket.prototype.connect

function hostOf(args: unknown[]): string | undefined {
  const [first] = args
  if (typeof first === 'object' && first !== null) {
    const opts = first as { host?: unknown; path?: unknown }
    if (typeof opts.path === 'string') return 'localhost'
    return typeof opts.host === 'string' ? opts.host : 'localhost'
  }
  if (typeof first === 'string') return 'localhost' // a unix socket path
  const second = args[1]
  return typeof second === 'string' ? second : 'localhost'
}

net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const host = hostOf(args)
  if (host !== undefined && !LOOPBACK.test(host)) {
    throw new Error(`unit tests must not connect to ${host}: only loopback is allowed`)
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args)
} as typeof net.Socket.prototype.connect

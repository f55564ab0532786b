// Loaded into the built CLI with `node --require` by integration tests
// (see test/support/watch.ts). It records every module file the process
// loaded and every host it looked up or connected to, and writes them as
// JSON to $ASP_WATCH_FILE when the process exits. A connection to anything
// but loopback is refused on the spot, so a test can never reach a cloud.
'use strict'
const dns = require('node:dns')
const fs = require('node:fs')
const net = require('node:net')

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/
const out = process.env.ASP_WATCH_FILE
const hosts = new Set()

function hostOf(args) {
  const [first, second] = args
  if (Array.isArray(first)) return hostOf(first)
  if (typeof first === 'object' && first !== null) {
    if (typeof first.path === 'string') return 'localhost'
    return typeof first.host === 'string' ? first.host : 'localhost'
  }
  return typeof second === 'string' ? second : 'localhost'
}

const connect = net.Socket.prototype.connect
net.Socket.prototype.connect = function (...args) {
  const host = hostOf(args)
  hosts.add(host)
  if (!LOOPBACK.test(host)) {
    throw new Error(`watch-process: refused a connection to a non-loopback host`)
  }
  return connect.apply(this, args)
}

const lookup = dns.lookup
dns.lookup = function (hostname, ...rest) {
  hosts.add(String(hostname))
  return lookup.call(this, hostname, ...rest)
}

process.on('exit', () => {
  if (out === undefined) return
  fs.writeFileSync(out, JSON.stringify({ modules: Object.keys(require.cache), hosts: [...hosts] }))
})

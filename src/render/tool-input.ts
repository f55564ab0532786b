import { closeSync, constants, open } from 'node:fs'
import net from 'node:net'
import type { Writable } from 'node:stream'

/**
 * Data a tool reads without it ever being on disk: `stdin`, and FIFOs the
 * tool opens by path (made with `makeFifos`). A FIFO holds no data in the
 * file system, so a SIGKILL leaves at most an empty node behind.
 */
export interface ToolInput {
  readonly stdin?: string
  readonly fifos?: readonly FifoInput[]
}

export interface FifoInput {
  readonly path: string
  readonly data: string
}

/** How often a FIFO nobody reads yet is tried again. */
const OPEN_RETRY_MS = 5

/**
 * Writes every input while the child runs, each on its own, so a tool that
 * reads them in any order (or reads one only after another) never waits on
 * us, whatever their size. A FIFO is opened for writing only once the child
 * has opened it for reading (a non-blocking open fails with ENXIO until then);
 * so closing it after the data is the end of file the child sees. A child
 * that exits without reading an input (EPIPE) is not an error here: its exit
 * status tells. `stop` ends every write still pending.
 */
export function feedInput(stdin: Writable, input: ToolInput): { stop: () => void } {
  let stopped = false
  const streams: Writable[] = []
  const timers = new Set<NodeJS.Timeout>()
  const write = (stream: Writable, data: string): void => {
    streams.push(stream)
    stream.on('error', () => undefined)
    stream.end(data)
  }
  write(stdin, input.stdin ?? '')

  const connect = (fifo: FifoInput): void => {
    // The callback API gives a bare descriptor, which the socket then owns.
    open(fifo.path, constants.O_WRONLY | constants.O_NONBLOCK, (err, fd) => {
      if (err === null) {
        if (stopped) closeSync(fd)
        // A FIFO is a pipe to libuv: the socket writes without blocking and sees EPIPE.
        else write(new net.Socket({ fd, readable: false, writable: true }), fifo.data)
        return
      }
      if (stopped || err.code !== 'ENXIO') return
      const timer = setTimeout(() => {
        timers.delete(timer)
        connect(fifo)
      }, OPEN_RETRY_MS)
      timers.add(timer)
    })
  }
  for (const fifo of input.fifos ?? []) connect(fifo)

  return {
    stop: () => {
      stopped = true
      for (const timer of timers) clearTimeout(timer)
      for (const stream of streams) stream.destroy()
    },
  }
}

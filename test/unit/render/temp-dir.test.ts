import fs from 'node:fs'
import fsPromises from 'node:fs/promises'
import path from 'node:path'
import { ExitCode, IoError } from '../../../src/errors'
import { createRunTempDir } from '../../../src/render/temp-dir'
import { testdir } from '../../support/testdir'

/** Above Linux's largest pid_max (2^22): no process can have it. */
const DEAD_PID = 4_194_999

describe('createRunTempDir', () => {
  test('is private, named after this process, and sweeps only dead runs of ours', async () => {
    const tmp = testdir({
      [`argocd-secret-plugin-${String(DEAD_PID)}-aaaaaa/values.yaml`]: 'password: resolved\n',
      [`argocd-secret-plugin-${String(process.ppid)}-bbbbbb/keep`]: 'a live run\n',
      'argocd-secret-plugin-cccccc/keep': 'an older naming: not provably ours to remove\n',
      'other-tool-1-dddddd/keep': 'not ours\n',
    })
    const dir = await createRunTempDir({ TMPDIR: tmp })
    expect(path.basename(dir)).toMatch(new RegExp(`^argocd-secret-plugin-${String(process.pid)}-`))
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700)
    expect(fs.readdirSync(tmp).sort()).toEqual(
      [
        path.basename(dir),
        `argocd-secret-plugin-${String(process.ppid)}-bbbbbb`,
        'argocd-secret-plugin-cccccc',
        'other-tool-1-dddddd',
      ].sort(),
    )
  })

  test('a missing TMPDIR is a clear I/O error, not a bug', async () => {
    const missing = path.join(testdir(), 'gone')
    const failure = createRunTempDir({ TMPDIR: missing })
    await expect(failure).rejects.toBeInstanceOf(IoError)
    await expect(failure).rejects.toMatchObject({
      exitCode: ExitCode.IO,
      message: expect.stringContaining('ENOENT') as unknown,
    })
  })

  // A full disk cannot be made without root; the kernel's answer is the same
  // ENOSPC from mkdir, so the test gives mkdtemp that answer.
  test('a full TMPDIR is a clear I/O error naming ENOSPC, not a bug', async () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, mkdtemp'), {
      code: 'ENOSPC',
    })
    const mkdtemp = jest.spyOn(fsPromises, 'mkdtemp').mockRejectedValue(full)
    try {
      const failure = createRunTempDir({ TMPDIR: testdir() })
      await expect(failure).rejects.toBeInstanceOf(IoError)
      await expect(failure).rejects.toMatchObject({
        exitCode: ExitCode.IO,
        message: expect.stringContaining('ENOSPC') as unknown,
      })
      expect(mkdtemp).toHaveBeenCalled()
    } finally {
      mkdtemp.mockRestore()
    }
  })
})

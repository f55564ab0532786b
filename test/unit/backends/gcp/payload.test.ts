import { payloadLookup } from '../../../../src/backends/gcp/payload'
import type { GcpTarget } from '../../../../src/backends/gcp/target'

const target: GcpTarget = {
  name: 'projects/p/secrets/db/versions/latest',
  project: 'p',
  secretId: 'db',
  label: 'secret projects/p/secrets/db',
  refs: [],
}

const data = (text: string | Uint8Array): unknown => {
  const lookup = payloadLookup(target, typeof text === 'string' ? Buffer.from(text) : text)
  return lookup.ok ? lookup.data.reveal() : lookup.failure
}

test('plain text: the secret id is the one key, as in AVP', () => {
  expect(data('canary-plain')).toEqual({ db: 'canary-plain' })
})

test('a JSON object adds its fields with their JSON types; the secret id still gives the whole text', () => {
  expect(data('{"user":"u","port":5432,"db":"field"}')).toEqual({
    user: 'u',
    port: 5432,
    db: '{"user":"u","port":5432,"db":"field"}',
  })
})

test('JSON that is not an object adds nothing', () => {
  expect(data('[1,2]')).toEqual({ db: '[1,2]' })
  expect(data('42')).toEqual({ db: '42' })
})

test('binary data is an error that names the secret and not the bytes', () => {
  expect(data(new Uint8Array([0xff, 0xfe, 0x63, 0x61]))).toEqual({
    code: 'BACKEND_ERROR',
    message:
      'secret projects/p/secrets/db holds binary data, not UTF-8 text; store it base64-encoded and read it with | base64decode',
  })
})

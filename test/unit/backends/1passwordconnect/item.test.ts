import { itemData } from '../../../../src/backends/1passwordconnect/item-data'
import { eqFilter, parseItemPath } from '../../../../src/backends/1passwordconnect/item-path'

describe('parseItemPath', () => {
  test('vault and item, the item keeping its slashes as in AVP', () => {
    expect(parseItemPath('vaults/Prod/items/db')).toEqual({ vault: 'Prod', item: 'db' })
    expect(parseItemPath('vaults/Prod/items/team/db')).toEqual({ vault: 'Prod', item: 'team/db' })
  })

  test.each([
    'vaults',
    'vaults/Prod',
    'vaults/Prod/items',
    'vaults/Prod/items/',
    'vaults//items/x',
    'v/Prod/items/x',
    'vaults/Prod/item/x',
    '',
  ])('%j is a failure, not a crash', (path) => {
    expect(parseItemPath(path)).toEqual({
      failure: `secret path ${JSON.stringify(path)} must be vaults/<vault>/items/<item> (names or ids)`,
    })
  })
})

test('eqFilter quotes and escapes the value', () => {
  expect(decodeURIComponent(eqFilter('title', 'say "hi" \\ bye'))).toBe(
    'filter=title eq "say \\"hi\\" \\\\ bye"',
  )
})

describe('itemData', () => {
  test('label → value; a field without a value is ""; fields without a label are skipped', () => {
    const body = {
      fields: [
        { label: 'user', value: 'app' },
        { label: 'notes' },
        { id: 'x', value: 'unlabelled' },
        { label: '__proto__', value: 'p' },
      ],
    }
    const out = itemData(body, 'item "db"')
    expect(out).toEqual({ ok: true, data: { user: 'app', notes: '', ['__proto__']: 'p' } })
    expect(out.ok && Object.getPrototypeOf(out.data)).toBe(Object.prototype)
  })

  test('duplicate labels are an error naming each, never a value', () => {
    const body = {
      fields: [
        { label: 'b', value: 'canary-1' },
        { label: 'a', value: 'canary-2' },
        { label: 'b', value: 'canary-3' },
        { label: 'a', value: 'canary-4' },
      ],
    }
    const out = itemData(body, 'item "db" in vault "Prod"')
    expect(out).toEqual({
      ok: false,
      failure: {
        code: 'CONFIG_INVALID',
        message:
          'item "db" in vault "Prod" has more than one field labelled "a", "b"; give each field its own label in 1Password',
      },
    })
  })

  test('an answer that is not an item', () => {
    expect(itemData([], 'item "db"')).toEqual({
      ok: false,
      failure: {
        code: 'BACKEND_ERROR',
        message: '1Password Connect did not answer with an item for item "db"',
      },
    })
  })
})

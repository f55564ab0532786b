/**
 * Text output of a JSONPath result, as client-go prints it (docs/design/avp-semantics.md
 * docs/design/avp-semantics.md): strings raw, maps and lists as compact JSON with sorted keys (Go's
 * json.Marshal sorts map keys), null as `null`.
 */
export function printValue(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number') return formatGoNumber(value)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (value === null || value === undefined) return 'null'
  return JSON.stringify(value, sortKeys)
}

function sortKeys(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/**
 * Go prints a float64 with `%v`: the shortest digits, in exponent form when the
 * exponent is below -4 or at least 6 (`1.2345678901234567e+19`, `1e-05`).
 * Whole numbers in the safe range print as plain digits instead, as they do
 * when Vault hands AVP a `json.Number` (`8080`, `1000000`).
 */
export function formatGoNumber(value: number): string {
  if (Number.isSafeInteger(value)) return String(value)
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf'
  const [mantissa = '', exp = '0'] = value.toExponential().split('e')
  const exponent = Number(exp)
  if (exponent < -4 || exponent >= 6) {
    const digits = String(Math.abs(exponent)).padStart(2, '0')
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${digits}`
  }
  // In this range JavaScript also prints the shortest digits in fixed notation.
  return String(value)
}

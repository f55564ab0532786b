import path from 'node:path'
import { describeFsError } from '../fs-error'
import { parseDotenv } from './parse-dotenv'
import { parseJsonConfig, parseYamlConfig } from './parse-structured'
import type { ParsedConfig } from './parse-structured'

const PARSERS: Readonly<Record<string, (text: string) => ParsedConfig>> = {
  yaml: parseYamlConfig,
  yml: parseYamlConfig,
  json: parseJsonConfig,
  env: parseDotenv,
}

/**
 * The file's type from its extension, as viper does (`filepath.Ext`, so a file
 * named just `.env` is a dotenv file). Unlike AVP we accept only the formats
 * users actually write (docs/design/avp-semantics.md lists viper's twelve).
 */
export function configFileType(configPath: string): string {
  const base = path.basename(configPath)
  const dot = base.lastIndexOf('.')
  return dot < 0 ? '' : base.slice(dot + 1).toLowerCase()
}

/**
 * Reads and parses `--config-path`. Every issue starts with `--config-path:`
 * and names the path as given; none quotes the file's content.
 */
export async function readConfigFile(
  configPath: string,
  cwd: string,
  readFile: (p: string) => Promise<string>,
): Promise<ParsedConfig> {
  const type = configFileType(configPath)
  const parse = PARSERS[type]
  if (parse === undefined) {
    return fail(`unsupported file type "${type}"; use .yaml, .yml, .json or .env`)
  }
  let text: string
  try {
    text = await readFile(path.resolve(cwd, configPath))
  } catch (error) {
    return fail(`cannot read ${JSON.stringify(configPath)}: ${describeFsError(error)}`)
  }
  const parsed = parse(text)
  return {
    entries: parsed.entries,
    issues: parsed.issues.map((issue) => `--config-path: ${configPath}: ${issue}`),
  }
}

function fail(issue: string): ParsedConfig {
  return { entries: [], issues: [`--config-path: ${issue}`] }
}

import path from 'node:path'
import { Command, CommanderError, Option } from 'commander'
import { ExitCode, oneLine, ProblemsError } from '../errors'
import { formatDebugEvent, silentLog, type DebugLog } from '../log'
import type * as ParametersModule from '../render/parameters'
import type { RenderMode } from '../render/render-app'
import { Redactor } from '../secrets/redact'
import { versionLine } from './build-info'
import type * as RunGenerateModule from '../pipeline/generate'
import type { RunInput } from '../pipeline/prepare-run'
import type * as RunPlanModule from '../pipeline/plan'
import type * as RunRefreshModule from '../pipeline/refresh/run-refresh'
import type { Io } from '../io'
import { stoppedError } from '../pace'
import { reportFailure } from './report'

/** Flags of every command that renders an app (`generate`, `plan`). */
interface RunFlags {
  readonly configPath?: string
  readonly secretName?: string
  readonly verbose?: boolean
  readonly verboseSensitiveOutput?: boolean
  readonly disableTokenCache?: boolean
  readonly render: RenderMode
}

interface GenerateFlags extends RunFlags {
  readonly output: 'yaml' | 'json'
  readonly allowEmpty?: boolean
  readonly stub?: boolean
  readonly recordVersions: boolean
}

interface PlanFlags extends RunFlags {
  readonly output: 'table' | 'json'
}

interface RefreshFlags {
  readonly namespace: string
  readonly pluginName: string
  readonly dryRun?: boolean
  readonly configPath?: string
  readonly secretName?: string
  readonly verbose?: boolean
  readonly disableTokenCache?: boolean
}

/**
 * Runs the CLI with `argv` (without `node` and the script) against `io` and
 * resolves to the exit code. Never touches `process`: `main.ts` does.
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const redactor = new Redactor()
  const err = (text: string): void => {
    io.stderr(redactor.redact(text))
  }
  let exitCode: number = ExitCode.OK
  const program = buildProgram(io, err, redactor, (code) => (exitCode = code))
  try {
    await program.parseAsync([...argv], { from: 'user' })
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its one-line message (unknown flag, missing argument).
      return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE
    }
    throw error
  }
  return exitCode
}

function buildProgram(
  io: Io,
  err: (text: string) => void,
  redactor: Redactor,
  setExit: (code: number) => void,
): Command {
  // Every command ends a failed run the same way: its lines on stderr, its exit code.
  const fail = (error: unknown): void => {
    const failure = reportFailure(error)
    for (const line of failure.lines) err(`${line}\n`)
    setExit(failure.exitCode)
  }
  const program = new Command('argocd-secret-plugin')
    .description('Argo CD plugin that replaces <placeholders> in manifests with secrets')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: err })
    .showSuggestionAfterError(true)
    .action(() => {
      io.stdout(program.helpInformation())
    })

  addRunOptions(
    program
      .command('generate')
      .description('Render the app, replace placeholders with secret values, print the manifests'),
  )
    .addOption(
      new Option('-o, --output <format>', 'output format')
        .choices(['yaml', 'json'])
        .default('yaml'),
    )
    .option('--allow-empty', 'succeed even when the input holds no Kubernetes object')
    .option(
      '--no-record-versions',
      'do not annotate objects with the versions of the secrets they use (AVP_RECORD_VERSIONS=false)',
    )
    .option(
      '--stub',
      'replace every placeholder with a deterministic dummy; no backend is configured or asked (for CI validation)',
    )
    .action(async (path: string, flags: GenerateFlags) => {
      const log = debugLog(flags, err)
      try {
        const { runGenerate } = loadRunGenerate()
        const out = await runGenerate(
          {
            ...runInput(path, flags),
            output: flags.output,
            allowEmpty: flags.allowEmpty === true,
            stub: flags.stub === true,
            recordVersions: flags.recordVersions,
          },
          io,
          redactor,
          log,
        )
        // SIGTERM may have arrived while the last phase ran: Argo CD has
        // given up on this run, so nothing may reach stdout.
        if (io.signal.aborted) throw stoppedError(io.signal)
        io.stdout(out)
      } catch (error) {
        fail(error)
      }
    })

  addRunOptions(
    program
      .command('plan')
      .description(
        'Render the app as generate does and list every secret reference and whether it resolves (never a value)',
      ),
  )
    .addOption(
      new Option('-o, --output <format>', 'output format')
        .choices(['table', 'json'])
        .default('table'),
    )
    .action(async (path: string, flags: PlanFlags) => {
      const log = debugLog(flags, err)
      try {
        const { runPlan } = loadRunPlan()
        const report = await runPlan(
          { ...runInput(path, flags), output: flags.output },
          io,
          redactor,
          log,
        )
        for (const line of report.problems) err(`${line}\n`)
        io.stdout(report.text)
        // A CI gate: any reference generate could not resolve fails the step.
        if (report.problems.length > 0) setExit(ExitCode.UNRESOLVED)
      } catch (error) {
        fail(error)
      }
    })

  program
    .command('refresh')
    .description(
      'Hard-refresh the Applications whose secrets were rotated since their manifests were generated (run as a CronJob)',
    )
    .option('-n, --namespace <namespace>', 'namespace of the Argo CD Applications', 'argocd')
    .option(
      '--plugin-name <name>',
      'check the Applications whose source uses this plugin name',
      'argocd-secret-plugin',
    )
    .option('--dry-run', 'list what would be refreshed; patch nothing')
    .option('-c, --config-path <file>', 'configuration file (YAML, JSON or .env)')
    .option(
      '-s, --secret-name <[namespace:]name>',
      'Kubernetes Secret holding the configuration (namespace argocd by default)',
    )
    .option('--verbose', 'debug events on stderr (never a secret value or credential)')
    .option('--disable-token-cache', 'do not read or write the Vault token cache')
    .action(async (flags: RefreshFlags) => {
      const log = debugLog(flags, err)
      try {
        const { runRefresh } = loadRunRefresh()
        const report = await runRefresh(
          {
            namespace: flags.namespace,
            pluginName: flags.pluginName,
            dryRun: flags.dryRun === true,
            disableTokenCache: flags.disableTokenCache === true,
            ...(flags.configPath === undefined ? {} : { configPath: flags.configPath }),
            ...(flags.secretName === undefined ? {} : { secretName: flags.secretName }),
          },
          io,
          redactor,
          log,
        )
        const text = report.lines.map((line) => `${oneLine(line)}\n`).join('')
        if (report.problems.length === 0) {
          io.stdout(text)
          return
        }
        // Fail closed: with any problem nothing reaches stdout; what was
        // refreshed is still told, on stderr, before the problems.
        err(text)
        throw new ProblemsError(report.problems)
      } catch (error) {
        fail(error)
      }
    })

  program
    .command('version')
    .description('Print the version')
    .allowExcessArguments(true)
    .action(() => {
      io.stdout(versionLine())
    })

  program
    .command('parameters')
    .description("Print the app's plugin parameters as JSON for Argo CD's UI (no backend is used)")
    .argument('[path]', 'app directory', '.')
    .action(async (appPath: string) => {
      try {
        const { announceParameters } = loadParameters()
        const announcement = await announceParameters(path.resolve(io.cwd, appPath), io.env)
        io.stdout(`${JSON.stringify(announcement)}\n`)
      } catch (error) {
        fail(error)
      }
    })
  return program
}

// Each command loads its code when it runs: `version` then compiles and runs
// nothing of the YAML engine, the renderers or the backends (docs/performance.md).
// A `require`, not `import()`: jest runs these sources as CommonJS.
function loadRunGenerate(): typeof RunGenerateModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../pipeline/generate') as typeof RunGenerateModule
}

function loadRunPlan(): typeof RunPlanModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../pipeline/plan') as typeof RunPlanModule
}

function loadRunRefresh(): typeof RunRefreshModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../pipeline/refresh/run-refresh') as typeof RunRefreshModule
}

function loadParameters(): typeof ParametersModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../render/parameters') as typeof ParametersModule
}

/** The options shared by every command that renders an app. */
function addRunOptions(command: Command): Command {
  return command
    .argument('[path]', 'app directory or manifest file; - reads a manifest stream from stdin', '.')
    .option('-c, --config-path <file>', 'configuration file (YAML, JSON or .env)')
    .option(
      '-s, --secret-name <[namespace:]name>',
      'Kubernetes Secret holding the configuration (namespace argocd by default)',
    )
    .option('--verbose', 'debug events on stderr (never a secret value or credential)')
    .option('--verbose-sensitive-output', 'accepted for AVP compatibility; same as --verbose')
    .option('--disable-token-cache', 'do not read or write the Vault token cache')
    .addOption(
      new Option('--render <mode>', 'how to render a directory')
        .choices(['auto', 'helm', 'kustomize', 'plain'])
        .default('auto'),
    )
}

function runInput(path: string, flags: RunFlags): RunInput {
  return {
    path,
    disableTokenCache: flags.disableTokenCache === true,
    render: flags.render,
    ...(flags.configPath === undefined ? {} : { configPath: flags.configPath }),
    ...(flags.secretName === undefined ? {} : { secretName: flags.secretName }),
  }
}

function debugLog(
  flags: Pick<RunFlags, 'verbose' | 'verboseSensitiveOutput'>,
  err: (text: string) => void,
): DebugLog {
  if (flags.verbose !== true && flags.verboseSensitiveOutput !== true) return silentLog
  if (flags.verboseSensitiveOutput === true) {
    err(
      'note: --verbose-sensitive-output behaves as --verbose: argocd-secret-plugin never prints secret values or credentials\n',
    )
  }
  return (event) => {
    err(`${formatDebugEvent(event)}\n`)
  }
}

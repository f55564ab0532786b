// The only file that imports the AWS SDK (docs/design/engineering-rules.md). It is reached only
// through `entry.load()`, so other backends never load it.
import {
  BatchGetSecretValueCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
  type SecretsManagerClientConfig,
} from '@aws-sdk/client-secrets-manager'
import type { AwsConfig } from './config'
import { AwsCallError, isThrottlingName, safeName } from './errors'
import type {
  BatchPage,
  GetInput,
  SecretDescription,
  SecretValue,
  SecretsManagerPort,
} from './port-types'

/** Builds a port for one region with the SDK (docs/design/aws-wire.md). */
export function createSdkPort(config: AwsConfig, region: string): SecretsManagerPort {
  const client = new SecretsManagerClient(clientConfig(config, region))
  return {
    async getSecretValue(input: GetInput, signal: AbortSignal): Promise<SecretValue> {
      const command = new GetSecretValueCommand({
        SecretId: input.secretId,
        ...(input.versionId === undefined ? {} : { VersionId: input.versionId }),
        ...(input.versionStage === undefined ? {} : { VersionStage: input.versionStage }),
      })
      return value(await sent(command, () => client.send(command, { abortSignal: signal }), signal))
    },
    async batchGetSecretValue(ids, nextToken, signal): Promise<BatchPage> {
      const command = new BatchGetSecretValueCommand({
        SecretIdList: [...ids],
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      })
      const out = await sent(command, () => client.send(command, { abortSignal: signal }), signal)
      return {
        values: (out.SecretValues ?? []).map(value),
        errors: (out.Errors ?? []).map((e) => ({
          ...(e.SecretId === undefined ? {} : { secretId: e.SecretId }),
          ...(e.ErrorCode === undefined ? {} : { errorCode: e.ErrorCode }),
          ...(e.Message === undefined ? {} : { message: e.Message }),
        })),
        ...(out.NextToken === undefined ? {} : { nextToken: out.NextToken }),
      }
    },
    async describeSecret(secretId, signal): Promise<SecretDescription> {
      const command = new DescribeSecretCommand({ SecretId: secretId })
      const out = await sent(command, () => client.send(command, { abortSignal: signal }), signal)
      return { versionStages: out.VersionIdsToStages ?? {}, deleted: out.DeletedDate !== undefined }
    },
    destroy() {
      client.destroy()
    },
  }
}

function clientConfig(config: AwsConfig, region: string): SecretsManagerClientConfig {
  const creds = config.credentials
  return {
    region,
    // Passed explicitly: settings may come from a config file, and we never
    // mutate process.env for the SDK to find them.
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    ...(config.profile === undefined ? {} : { profile: config.profile }),
    ...(creds === undefined
      ? {}
      : {
          credentials: {
            accessKeyId: creds.accessKeyId.reveal(),
            secretAccessKey: creds.secretAccessKey.reveal(),
            ...(creds.sessionToken === undefined
              ? {}
              : { sessionToken: creds.sessionToken.reveal() }),
          },
        }),
    maxAttempts: config.maxAttempts,
    retryMode: 'standard',
    // Without throwOnRequestTimeout a breached requestTimeout only logs a
    // warning and keeps waiting (docs/design/aws-wire.md).
    requestHandler: {
      connectionTimeout: config.connectionTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  }
}

/**
 * Sends one command, translating its failure with what every attempt saw:
 * the one way this port calls the SDK.
 */
async function sent<Out>(
  command: ObservedCommand,
  send: () => Promise<Out>,
  signal: AbortSignal,
): Promise<Out> {
  const seen = observeAttempts(command)
  try {
    return await send()
  } catch (err) {
    throw toCallError(err, seen, signal)
  }
}

type ObservedCommand = GetSecretValueCommand | BatchGetSecretValueCommand | DescribeSecretCommand

/**
 * Records the error name of every attempt of one command. It sits inside the
 * retry middleware (finalizeRequest, low priority), so it sees each attempt:
 * an abort during a throttling back-off would otherwise hide that AWS was
 * throttling, and the deadline message must say so.
 */
function observeAttempts(command: ObservedCommand): string[] {
  const seen: string[] = []
  ;(command.middlewareStack as MiddlewareAdder).add(
    (next) => async (args) => {
      try {
        return await next(args)
      } catch (err) {
        seen.push(safeName((err as { name?: unknown } | null)?.name))
        throw err
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'aspAttemptObserver' },
  )
  return seen
}

/** The slice of the SDK's MiddlewareStack used here, typed without the command's generics. */
interface MiddlewareAdder {
  add(
    middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
    options: { step: 'finalizeRequest'; priority: 'low'; name: string },
  ): void
}

interface GetRaw {
  readonly Name?: string | undefined
  readonly ARN?: string | undefined
  readonly VersionId?: string | undefined
  readonly SecretString?: string | undefined
  readonly SecretBinary?: Uint8Array | undefined
}

function value(raw: GetRaw): SecretValue {
  return {
    ...(raw.Name === undefined ? {} : { name: raw.Name }),
    ...(raw.ARN === undefined ? {} : { arn: raw.ARN }),
    ...(raw.VersionId === undefined ? {} : { versionId: raw.VersionId }),
    ...(raw.SecretString === undefined ? {} : { secretString: raw.SecretString }),
    ...(raw.SecretBinary === undefined ? {} : { secretBinary: raw.SecretBinary }),
  }
}

/** Keeps only allow-listed fields of an SDK error (docs/design/engineering-rules.md). */
function toCallError(err: unknown, seen: readonly string[], signal: AbortSignal): AwsCallError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    name?: unknown
    code?: unknown
    message?: unknown
    $fault?: unknown
    $metadata?: { httpStatusCode?: unknown; requestId?: unknown; attempts?: unknown }
  }
  const name = safeName(e.name)
  const meta = e.$metadata ?? {}
  const code = typeof e.code === 'string' && /^E[A-Z_]{2,30}$/.test(e.code) ? e.code : undefined
  const requestId =
    typeof meta.requestId === 'string' && /^[A-Za-z0-9-]{1,128}$/.test(meta.requestId)
      ? meta.requestId
      : undefined
  return new AwsCallError({
    name,
    ...(code === undefined ? {} : { networkCode: code }),
    ...(typeof meta.httpStatusCode === 'number' ? { httpStatus: meta.httpStatusCode } : {}),
    ...(requestId === undefined ? {} : { requestId }),
    ...(e.$fault === 'client' || e.$fault === 'server' ? { fault: e.$fault } : {}),
    ...(typeof meta.attempts === 'number' ? { attempts: meta.attempts } : {}),
    aborted: signal.aborted || name === 'AbortError',
    throttled: seen.some(isThrottlingName) || isThrottlingName(name),
    // The message is read for this one fact and then dropped, never printed.
    deletion: name === 'InvalidRequestException' && /delet/i.test(String(e.message)),
  })
}

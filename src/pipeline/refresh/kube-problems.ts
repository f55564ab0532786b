import type { Problem } from '../../errors'
import type { JsonAnswer } from '../../http/json-request'
import { describeTransportFailure, type ApiTarget } from '../../kube/in-cluster'

/** One Kubernetes API request of `refresh`, in RBAC words. */
export interface KubeAction {
  readonly verb: 'list' | 'get' | 'patch'
  /** `applications.argoproj.io`, `deployments.apps`, `secrets`. */
  readonly resource: string
  /** Absent for cluster-scoped resources. */
  readonly namespace?: string
  /** `Kind/name` the problem is about, for its location. */
  readonly subject?: string
}

/**
 * A request that did not succeed as one problem line. A 403 names the verb,
 * resource and namespace the service account needs; the API server's own
 * message (a `Status` body) is never quoted.
 */
export function kubeProblem(
  answer: JsonAnswer,
  action: KubeAction,
  target: ApiTarget,
  timeoutMs: number,
): Problem {
  const where =
    action.namespace === undefined ? 'at cluster scope' : `in namespace ${action.namespace}`
  const doing = `${action.verb} ${action.resource} ${where}`
  const location = action.subject === undefined ? {} : { location: { resource: action.subject } }
  if (!answer.ok) {
    const message = describeTransportFailure(answer.failure, target, doing, timeoutMs)
    const code = answer.failure.kind === 'timeout' ? 'TIMEOUT' : 'UNAVAILABLE'
    return { code, message, ...location }
  }
  const { status } = answer
  switch (status) {
    case 401:
      return {
        code: 'AUTH_FAILED',
        message: `the Kubernetes API rejected the service account token (HTTP 401) to ${doing}`,
        ...location,
      }
    case 403: {
      const grant =
        action.namespace === undefined
          ? `a ClusterRole with "${action.verb}" on ${action.resource}`
          : `a Role in ${action.namespace} (or a ClusterRole) with "${action.verb}" on ${action.resource}`
      return {
        code: 'ACCESS_DENIED',
        message: `the service account may not ${doing} (HTTP 403): grant it ${grant}`,
        ...location,
      }
    }
    default: {
      const code = status === 429 || status >= 500 ? 'UNAVAILABLE' : 'BACKEND_ERROR'
      return {
        code,
        message: `the Kubernetes API answered HTTP ${String(status)} to ${doing}`,
        ...location,
      }
    }
  }
}

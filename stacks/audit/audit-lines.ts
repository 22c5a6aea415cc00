import { AUDIT_LINE_TYPE } from '../../app/audit/audit-record.js';

/**
 * The Cloud Logging filter of a Cloud Run service's audit lines (`"type":"audit"` on stdout): what
 * the audit sink routes to its bucket and the tool-call metric counts.
 */
export function cloudRunAuditFilter(serviceName: string): string {
  return `resource.type="cloud_run_revision" AND resource.labels.service_name="${serviceName}" AND jsonPayload.type="${AUDIT_LINE_TYPE}"`;
}

/** The CloudWatch Logs pattern of the audit lines of a tool a server has (a call to no server's tool has no `server`). */
export const CLOUDWATCH_AUDIT_PATTERN = `{ ($.type = "${AUDIT_LINE_TYPE}") && ($.server = "*") }`;

/** The CloudWatch namespace of an environment's tool-call metric (`ToolCalls` by Server, Tool and Outcome). */
export function toolCallNamespace(environment: string): string {
  return `MCPBridge/${environment}`;
}

/** The CloudWatch metric counting tool calls, one per audit line. */
export const TOOL_CALL_METRIC = 'ToolCalls';

/** The Cloud Logging metric counting tool calls (`logging.googleapis.com/user/<name>`), labelled by server, tool and outcome. */
export function toolCallMetricName(serviceName: string): string {
  return `${serviceName}-tool-calls`;
}

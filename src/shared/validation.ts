/**
 * How a failed schema check reads: one formatter for every boundary that validates a
 * request, so the API dispatcher and the job host name bad fields the same way.
 * Used by: node/service (dispatch), worker (job requests), node/datasets (import requests,
 * manifests).
 */

/** The part of a schema issue the message needs (structural, so no zod type leaks in). */
export interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
}

/** "field.sub: message; other: message", naming every field that failed. */
export function describeIssues(issues: readonly IssueLike[]): string {
  return issues
    .map((issue) => {
      const where = issue.path.map(String).join('.');
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

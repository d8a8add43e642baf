import { UsageError, TargetError } from '../../errors/index.js';

/** What `preview gc` needs of a pull request. */
export interface PullSummary {
  readonly number: number;
  readonly state: 'open' | 'closed';
  readonly labels: readonly string[];
}

export interface GitHubPullsOptions {
  /** REST API root (default `https://api.github.com`; GitHub Enterprise: `https://host/api/v3`). */
  readonly apiUrl?: string;
  /** Token (`GITHUB_TOKEN`); without one only public repositories answer. */
  readonly token?: string;
  readonly fetch?: typeof fetch;
}

/**
 * Read one pull request through GitHub's REST API (`GET /repos/{owner}/{repo}/pulls/{number}`, API
 * version 2022-11-28).
 *
 * @returns the pull request, or null when GitHub answers 404 (no such pull request)
 * @throws UsageError `CONFIG_BAD_OPTION` for a repo not `owner/name`; TargetError `GITHUB_API_FAILED`
 *   for any other answer
 */
export async function getPull(
  repo: string,
  number: number,
  options: GitHubPullsOptions = {},
): Promise<PullSummary | null> {
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo)) {
    throw new UsageError('CONFIG_BAD_OPTION', `--repo must be owner/name, got ${repo}`);
  }
  const api = (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const url = `${api}/repos/${repo}/pulls/${number}`;
  const headers: Record<string, string> = {
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'user-agent': 'dbfork',
  };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { headers });
  } catch (error) {
    throw new TargetError('GITHUB_API_FAILED', `cannot reach ${api}: ${(error as Error).message}`, {
      hint: 'check --github-api-url and the network',
      labels: ['retryable', 'noWritesPerformed'],
      cause: error,
    });
  }
  if (response.status === 404) return null;
  if (!response.ok) {
    throw new TargetError('GITHUB_API_FAILED', `GET ${url} answered ${response.status}`, {
      subject: { status: response.status },
      hint:
        response.status === 401 || response.status === 403
          ? 'set GITHUB_TOKEN to a token that can read pull requests'
          : 'try again later',
      labels: ['noWritesPerformed'],
    });
  }
  const body = (await response.json()) as {
    number?: unknown;
    state?: unknown;
    labels?: { name?: unknown }[];
  };
  return {
    number,
    state: body.state === 'open' ? 'open' : 'closed',
    labels: (body.labels ?? []).map((l) => String(l.name ?? '')),
  };
}

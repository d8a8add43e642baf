import { getOctokit } from '@actions/github';
import type { PullRequestApi } from './pull-request-api.js';

/** Where the pull request is: `owner/repo` and its number. */
export interface PullRequestRef {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
}

/**
 * {@link PullRequestApi} with @actions/github's Octokit (REST endpoint methods, pagination). The API
 * address is `$GITHUB_API_URL` (GitHub Enterprise, or a local server in tests), else api.github.com.
 */
export function octokitPullRequestApi(token: string, pr: PullRequestRef): PullRequestApi {
  const octokit = getOctokit(token);
  const issue = { owner: pr.owner, repo: pr.repo, issue_number: pr.number };
  return {
    async addLabel(label) {
      await octokit.rest.issues.addLabels({ ...issue, labels: [label] });
    },
    async removeLabel(label) {
      try {
        await octokit.rest.issues.removeLabel({ ...issue, name: label });
      } catch (error) {
        if ((error as { status?: number }).status !== 404) throw error;
      }
    },
    async listComments() {
      const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...issue, per_page: 100 });
      return comments.map((c) => ({ id: c.id, body: c.body ?? '' }));
    },
    async createComment(body) {
      return (await octokit.rest.issues.createComment({ ...issue, body })).data.id;
    },
    async updateComment(id, body) {
      await octokit.rest.issues.updateComment({ owner: pr.owner, repo: pr.repo, comment_id: id, body });
    },
  };
}

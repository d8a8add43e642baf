/** A comment on a pull request (its issue), as the GitHub API returns it. */
export interface IssueComment {
  readonly id: number;
  readonly body: string;
}

/**
 * The GitHub API calls the Action makes on one pull request: labels and comments of its issue.
 * {@link octokitPullRequestApi} implements it with Octokit; errors are Octokit's `RequestError`s.
 */
export interface PullRequestApi {
  /** `POST /repos/{owner}/{repo}/issues/{number}/labels`. */
  addLabel(label: string): Promise<void>;
  /** `DELETE /repos/{owner}/{repo}/issues/{number}/labels/{name}`; a label already gone is fine. */
  removeLabel(label: string): Promise<void>;
  /** `GET /repos/{owner}/{repo}/issues/{number}/comments`, every page. */
  listComments(): Promise<IssueComment[]>;
  /** `POST /repos/{owner}/{repo}/issues/{number}/comments`. */
  createComment(body: string): Promise<number>;
  /** `PATCH /repos/{owner}/{repo}/issues/comments/{id}`. */
  updateComment(id: number, body: string): Promise<void>;
}

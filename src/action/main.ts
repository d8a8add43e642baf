import { readFile } from 'node:fs/promises';
import { info, setFailed, setOutput } from '@actions/core';
import { decide } from '../preview/decide.js';
import { readPullRequestEvent } from '../preview/pull-request-event.js';
import { ActionDecisionSchema, actionOutputs, type ActionDecision } from './action-decision.js';
import { readActionInputs, type ActionInputs } from './action-inputs.js';
import { carryOutDecision } from './carry-out-decision.js';
import { databaseStateFromLabels } from './database-state-from-labels.js';
import { octokitPullRequestApi } from './octokit-pull-request-api.js';

/**
 * The dbfork GitHub Action (action.yml): on a `pull_request` event ($GITHUB_EVENT_PATH), decide what
 * the event does to the PR's preview database (or take the decision `dbfork preview decide --json`
 * printed), revert refused label changes and post each comment once, then set the outputs
 * `database`, `db_source`, `snapshot_id`, `persist_db` and `actions` for the steps that follow.
 */
async function run(): Promise<void> {
  const inputs = readActionInputs();
  const eventPath = process.env.GITHUB_EVENT_PATH;
  const repository = process.env.GITHUB_REPOSITORY ?? '';
  if (!eventPath) throw new Error('GITHUB_EVENT_PATH is not set: run the Action on a pull_request event');
  const [owner, repo] = repository.split('/');
  if (!owner || !repo) throw new Error(`GITHUB_REPOSITORY is not owner/name: "${repository}"`);
  const { event, pullRequest } = readPullRequestEvent(
    JSON.parse(await readFile(eventPath, 'utf8')) as unknown,
    inputs.eventId ?? undefined,
  );
  const decision = inputs.decision === null ? decideHere(inputs, event, pullRequest) : given(inputs.decision);
  const api = octokitPullRequestApi(inputs.token, { owner, repo, number: pullRequest.number });
  const changes = await carryOutDecision(decision, api, inputs.dryRun);
  for (const c of changes)
    info(`${inputs.dryRun ? 'would make: ' : ''}${c.kind} ${'label' in c ? c.label : c.marker}`);
  for (const [name, value] of Object.entries(actionOutputs(decision))) setOutput(name, value);
}

function decideHere(
  inputs: ActionInputs,
  event: ReturnType<typeof readPullRequestEvent>['event'],
  pullRequest: ReturnType<typeof readPullRequestEvent>['pullRequest'],
): ActionDecision {
  const inferred = databaseStateFromLabels(event, pullRequest, inputs.settings);
  const d = inputs.database;
  return decide({
    event,
    pullRequest,
    settings: inputs.settings,
    database: {
      exists: d.exists ?? inferred.exists,
      locked: d.locked ?? inferred.locked,
      source: d.source ?? inferred.source,
    },
    ...(inputs.prDatabases === null ? {} : { prDatabaseCount: inputs.prDatabases }),
    ...(inputs.snapshotTakenAt === null ? {} : { snapshotTakenAt: inputs.snapshotTakenAt }),
  }) as ActionDecision;
}

function given(text: string): ActionDecision {
  const parsed = ActionDecisionSchema.safeParse(JSON.parse(text));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`input decision is not a dbfork decision: ${issue?.message} at ${issue?.path.join('.')}`);
}

run().catch((error: unknown) => setFailed(error instanceof Error ? error.message : String(error)));

/**
 * Preview databases: the pure decision engine for pull request events, the `#preview-config`
 * block, the PR comments and the settings. No I/O (effects live in `pipeline/`).
 */
export { decide } from './decide.js';
export type {
  PreviewAction,
  PreviewActionType,
  PreviewCommentKind,
  PreviewDecision,
  SnapshotSelector,
} from './preview-action.js';
export {
  NO_DATABASE,
  PREVIEW_EVENT_KINDS,
  type PreviewDatabaseState,
  type PreviewEvent,
  type PreviewEventKind,
  type PreviewInput,
  type PullRequestState,
} from './preview-input.js';
export {
  DEFAULT_PREVIEW_SETTINGS,
  previewSettings,
  type PreviewLabels,
  type PreviewSettings,
  type PreviewSettingsInput,
  type PreviewSource,
} from './preview-settings.js';
export {
  parsePreviewConfig,
  PreviewConfigSchema,
  type PreviewConfig,
  type PreviewConfigError,
  type PreviewConfigOptions,
  type PreviewConfigResult,
} from './preview-config.js';
export { findConfigBlock, type ConfigBlock } from './find-config-block.js';
export { commentMarker, markerId, markerOf } from './comment-marker.js';
export { renderComment, type CommentFacts } from './render-comment.js';
export { formatTimestamp } from './format-timestamp.js';
export { previewDatabaseName, pullRequestOfDatabase } from './database-name.js';
export {
  readPullRequestEvent,
  PullRequestPayloadSchema,
  type PullRequestEvent,
  type PullRequestPayload,
} from './pull-request-event.js';
